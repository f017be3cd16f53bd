import { getLocale } from '#lib/paraglide/runtime.js';
import type { Locale } from './locale.ts';

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A file's size as the language writes it: "1.5 MB" in English, "1,5 МБ" in Russian. */
export function fileSize(bytes: number, locale: Locale = getLocale()): string {
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit += 1;
	}
	return new Intl.NumberFormat(locale, { style: 'unit', unit: UNITS[unit], unitDisplay: 'short', maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1 }).format(value);
}

/** A short name for a file's kind: its extension ("PDF"), else the second half of its type. */
export function fileKind(name: string, type: string): string {
	const extension = /\.([a-z0-9]{1,8})$/i.exec(name)?.[1];
	if (extension) return extension.toUpperCase();
	const subtype = type.split('/')[1] ?? '';
	return subtype && subtype !== 'octet-stream' ? subtype.toUpperCase() : '';
}

/** The size an image is shown at in the timeline: within a box, keeping its shape, never enlarged. */
export function fitInside(width: number | undefined, height: number | undefined, box: number): { width: number; height: number } {
	if (!width || !height) return { width: box, height: Math.round(box * 0.75) };
	const scale = Math.min(1, box / width, box / height);
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
