import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import { isAuthPath } from 'better-auth/svelte-kit';
import { checkAuthRequest } from '#lib/server/auth-requests.ts';
import { getContext } from '#lib/server/context.ts';
import { apiError } from '#lib/server/json-body.ts';
import { withLocale } from '#lib/server/request-locale.ts';
import { BASE_LOCALE, LOCALE_COOKIE, pickLocale, type Locale } from '#lib/i18n/locale.ts';
import { m } from '#lib/paraglide/messages.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const handle: Handle = async ({ event, resolve }) => {
	const { auth, liveSessions, signInBackoff } = getContext();
	const { request, url } = event;

	// Browsers send Origin on cross-site writes; refuse them for every endpoint, whatever its content type.
	const origin = request.headers.get('origin');
	if (!SAFE_METHODS.has(request.method) && origin && origin !== url.origin) {
		return apiError(403, `Requests from ${origin} are not allowed; use Parley from ${url.origin}.`);
	}

	// This device's choice, else the browser's languages; once signed in, the account's choice wins.
	const deviceLocale = { cookie: event.cookies.get(LOCALE_COOKIE), acceptLanguage: request.headers.get('accept-language') };
	if (isAuthPath(url.toString(), auth.options)) {
		return withLocale(pickLocale(deviceLocale), async () => {
			const refused = await checkAuthRequest(request);
			if (refused) return refused;
			const response = await signInBackoff.guard(request, () => auth.handler(request));
			// Sign-out, revocation and account deletion end sessions: their live connections end now, not at the next check.
			if (!SAFE_METHODS.has(request.method)) liveSessions.checkSoon();
			return response;
		});
	}
	const session = await auth.api.getSession({ headers: request.headers });
	event.locals.user = session ? { id: session.user.id, name: session.user.name, email: session.user.email } : null;
	event.locals.sessionId = session?.session.id ?? null;
	const locale = pickLocale({ ...deviceLocale, account: session?.user.locale });
	event.locals.locale = locale;
	// <html lang> is rendered by the server, so the first paint is already in the person's language.
	return withLocale(locale, () => resolve(event, { transformPageChunk: ({ html }) => localizeShell(html, locale) }));
};

/** Fills src/app.html's language placeholders: <html lang>, the description, the manifest in that language. */
function localizeShell(html: string, locale: Locale): string {
	return html
		.replace('%lang%', locale)
		.replace('%parley.description%', m.app_description({}, { locale }))
		.replace('%parley.manifest%', locale === BASE_LOCALE ? 'manifest.webmanifest' : `manifest.${locale}.webmanifest`);
}

/** What SvelteKit's own refusals (a bad address, a method a route lacks) say to a person. */
const FRAMEWORK_MESSAGES: Record<number, () => string> = {
	400: m.err_bad_address,
	404: m.err_not_found,
	405: m.err_bad_method
};

export const handleError: HandleServerError = ({ kind, error, event }) => {
	const { log } = getContext();
	const where = { method: event.request.method, path: event.url.pathname.slice(0, 200) };
	// A refusal (SvelteKit's own, or a page's `error(404, …)`) is the client's mistake, not the server's: no error in the log.
	const status = kind === 'unknown' ? 500 : (error as { status?: number }).status ?? 500;
	if (kind !== 'unknown' && status < 500) {
		if (status !== 404) log.info('request.refused', { ...where, status, reason: error.message });
		return { message: (kind === 'framework' && FRAMEWORK_MESSAGES[status]?.()) || error.message };
	}
	log.error('request.failed', { kind, ...where, error });
	return { message: m.err_server() };
};
