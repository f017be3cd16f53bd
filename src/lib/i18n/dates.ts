import { getLocale } from '#lib/paraglide/runtime.js';
import type { Locale } from './locale.ts';

/** A message's time of day as the language writes it: "9:37 PM" in English, "21:37" in Russian. */
export function timeOfDay(time: number, locale: Locale = getLocale()): string {
	return new Date(time).toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
}

/** A day and time as the language writes it: "3 Dec 2026, 9:37 PM" in English, "3 дек. 2026 г., 21:37" in Russian. */
export function dateAndTime(time: number, locale: Locale = getLocale()): string {
	return new Date(time).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
