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

/**
 * When a room's last message was written, as a room list shows it: the time today, the weekday
 * within the last six days, the day and month this year, and the full date before.
 */
export function listTime(time: number, now = Date.now(), locale: Locale = getLocale()): string {
	const then = new Date(time);
	const today = new Date(now);
	const startOfToday = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime();
	if (time >= startOfToday) return timeOfDay(time, locale);
	if (time >= startOfToday - 6 * 86_400_000) return then.toLocaleDateString(locale, { weekday: 'short' });
	if (then.getFullYear() === today.getFullYear()) return then.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
	return then.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
}
