/** The languages Parley speaks, and how one is chosen for a person. Pure: the server and the browser both use it. */
export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const BASE_LOCALE: Locale = 'en';

/** Each language named in itself, for the picker in Settings. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский' };

/** The device's choice, readable by the server on the first request. */
export const LOCALE_COOKIE = 'parley_locale';
export const LOCALE_COOKIE_MAX_AGE = 400 * 24 * 3600;

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The first of these language tags ("ru-RU", "en") that Parley speaks, by its primary language. */
export function matchLocale(tags: readonly string[]): Locale | undefined {
	for (const tag of tags) {
		const primary = tag.trim().toLowerCase().split('-')[0];
		if (isLocale(primary)) return primary;
	}
	return undefined;
}

/** Accept-Language's tags, most wanted first ("ru-RU,ru;q=0.9,en;q=0.8" → ru-RU, ru, en); q=0 means "not this". */
export function acceptedLanguages(header: string | null | undefined): string[] {
	if (!header) return [];
	return header
		.split(',')
		.map((part, index) => {
			const [tag, ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			const weight = q ? Number(q.slice(2)) : 1;
			return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
		})
		.filter((entry) => entry.tag && entry.tag !== '*' && entry.weight > 0)
		.sort((a, b) => b.weight - a.weight || a.index - b.index)
		.map((entry) => entry.tag);
}

/** The account's choice, else this device's, else the browser's languages, else English. */
export function pickLocale(choice: { account?: unknown; cookie?: unknown; acceptLanguage?: string | null }): Locale {
	if (isLocale(choice.account)) return choice.account;
	if (isLocale(choice.cookie)) return choice.cookie;
	return matchLocale(acceptedLanguages(choice.acceptLanguage)) ?? BASE_LOCALE;
}
