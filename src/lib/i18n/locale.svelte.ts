import { defineCustomClientStrategy } from '#lib/paraglide/runtime.js';
import { BASE_LOCALE, isLocale, LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, matchLocale, type Locale } from './locale.ts';

/**
 * The browser's current language. The server picked it (account, cookie, Accept-Language) and
 * rendered it into <html lang>, so the first paint and hydration agree; a page without a server
 * choice (offline) falls back to navigator.languages.
 *
 * Paraglide's message functions read it through the custom strategy below, so every `m.…()` in a
 * template re-renders when it changes: switching language needs no reload and no new data.
 */
const state = $state<{ current: Locale }>({ current: initialLocale() });

function initialLocale(): Locale {
	if (typeof document === 'undefined') return BASE_LOCALE;
	const rendered = document.documentElement.lang;
	return isLocale(rendered) ? rendered : (matchLocale(navigator.languages ?? []) ?? BASE_LOCALE);
}

// On the server each request's locale comes from hooks.server.ts instead (src/lib/server/request-locale.ts).
if (typeof window !== 'undefined') {
	defineCustomClientStrategy('custom-parley', {
		getLocale: () => state.current,
		// Paraglide calls this with the locale it first read (often while a template renders, where
		// writing state is not allowed); switching goes through switchLocale instead.
		setLocale: () => {}
	});
}

export const currentLocale = (): Locale => state.current;

/** Shows the interface in this language now (the server's choice, e.g. the account's after signing in). */
export function adoptLocale(locale: Locale): void {
	state.current = locale;
	document.documentElement.lang = locale;
}

/** Switches the interface now and remembers the choice on this device (the account is the caller's part). */
export function switchLocale(locale: Locale): void {
	adoptLocale(locale);
	document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=${LOCALE_COOKIE_MAX_AGE}; samesite=lax`;
}
