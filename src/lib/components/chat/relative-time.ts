import { getLocale } from '#lib/paraglide/runtime.js';
import { m } from '#lib/paraglide/messages.js';
import type { Locale } from '#lib/i18n/locale.ts';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 24 * 3600_000],
	['month', 30 * 24 * 3600_000],
	['week', 7 * 24 * 3600_000],
	['day', 24 * 3600_000],
	['hour', 3600_000],
	['minute', 60_000]
];

/** "5 minutes ago", "yesterday", "just now" ("5 минут назад", "вчера", "только что"), in the current language unless told. */
export function relativeTime(then: number, now = Date.now(), locale: Locale = getLocale()): string {
	const diff = then - now;
	const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
	for (const [unit, ms] of UNITS) {
		if (Math.abs(diff) >= ms) return format.format(Math.round(diff / ms), unit);
	}
	return m.just_now({}, { locale });
}
