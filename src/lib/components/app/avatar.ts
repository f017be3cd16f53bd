/**
 * An avatar without a picture: a person's (or room's) initials on a colour derived from their id, the same
 * on every device. The colour is a hue from the id, darkened under white initials for the light theme and
 * lightened under dark initials for the dark theme, until the pair has WCAG AA contrast (4.5:1).
 */

/** The initials' colour in each theme (the background is chosen to suit it). */
export const AVATAR_TEXT = { light: '#ffffff', dark: '#10131a' } as const;
/** WCAG AA for normal-size text. */
export const AA_CONTRAST = 4.5;

export type AvatarColours = { light: string; dark: string; hue: number };

/** FNV-1a over the id's UTF-16 code units: small, stable and spreads similar ids apart. */
function hash(id: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < id.length; i++) {
		h ^= id.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/** HSL (h in degrees, s and l in 0..1) to a `#rrggbb` colour. */
export function hslToHex(h: number, s: number, l: number): string {
	const a = s * Math.min(l, 1 - l);
	const channel = (n: number) => {
		const k = (n + h / 30) % 12;
		const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
		return Math.round(value * 255)
			.toString(16)
			.padStart(2, '0');
	};
	return `#${channel(0)}${channel(8)}${channel(4)}`;
}

function luminance(hex: string): number {
	const [r, g, b] = [1, 3, 5].map((at) => {
		const c = parseInt(hex.slice(at, at + 2), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrast(first: string, second: string): number {
	const [high, low] = [luminance(first), luminance(second)].sort((x, y) => y - x);
	return (high + 0.05) / (low + 0.05);
}

/** Steps the lightness from `start` by `step` until the colour reads against `text` with AA contrast. */
function readable(hue: number, saturation: number, start: number, step: number, text: string): string {
	for (let l = start; l >= 0 && l <= 1; l += step) {
		const colour = hslToHex(hue, saturation, l);
		if (contrast(colour, text) >= AA_CONTRAST) return colour;
	}
	return step < 0 ? '#000000' : '#ffffff';
}

/** The background of the avatar of `id` in the light and the dark theme. */
export function avatarColours(id: string): AvatarColours {
	const h = hash(id);
	const hue = h % 360;
	const saturation = 0.55 + ((h >>> 9) % 20) / 100;
	return {
		hue,
		light: readable(hue, saturation, 0.5, -0.02, AVATAR_TEXT.light),
		dark: readable(hue, saturation, 0.68, 0.02, AVATAR_TEXT.dark)
	};
}
