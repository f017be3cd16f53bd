import { describe, expect, it } from 'vitest';
import { AA_CONTRAST, AVATAR_TEXT, avatarColours, contrast, hslToHex } from './avatar.ts';

describe('avatarColours', () => {
	it('is the same for the same id, every time', () => {
		expect(avatarColours('u_42')).toEqual(avatarColours('u_42'));
	});

	it('gives different ids different hues', () => {
		const hues = new Set(Array.from({ length: 50 }, (_, i) => avatarColours(`user-${i}`).hue));
		expect(hues.size).toBeGreaterThan(35);
	});

	it('reads with AA contrast under the initials, in both themes, for any id', () => {
		for (let i = 0; i < 2000; i++) {
			const id = `${i.toString(36)}-${(i * 7919).toString(16)}`;
			const colours = avatarColours(id);
			expect(contrast(colours.light, AVATAR_TEXT.light), `${id} light`).toBeGreaterThanOrEqual(AA_CONTRAST);
			expect(contrast(colours.dark, AVATAR_TEXT.dark), `${id} dark`).toBeGreaterThanOrEqual(AA_CONTRAST);
		}
	});

	it('stays a colour, not grey or black, in both themes', () => {
		const { light, dark } = avatarColours('someone');
		for (const colour of [light, dark]) {
			const [r, g, b] = [1, 3, 5].map((at) => parseInt(colour.slice(at, at + 2), 16));
			expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeGreaterThan(40);
		}
	});
});

describe('contrast', () => {
	it('is 21 for black on white and 1 for a colour on itself', () => {
		expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
		expect(contrast('#3557d4', '#3557d4')).toBe(1);
	});

	it('converts HSL as CSS does', () => {
		expect(hslToHex(0, 1, 0.5)).toBe('#ff0000');
		expect(hslToHex(120, 1, 0.25)).toBe('#008000');
		expect(hslToHex(240, 0, 1)).toBe('#ffffff');
	});
});
