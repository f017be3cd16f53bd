import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import { isAuthPath } from 'better-auth/svelte-kit';
import { checkAuthRequest } from '#lib/server/auth-requests.ts';
import { getContext } from '#lib/server/context.ts';
import { apiError } from '#lib/server/json-body.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const handle: Handle = async ({ event, resolve }) => {
	const { auth, liveSessions, signInBackoff } = getContext();
	const { request, url } = event;

	// Browsers send Origin on cross-site writes; refuse them for every endpoint, whatever its content type.
	const origin = request.headers.get('origin');
	if (!SAFE_METHODS.has(request.method) && origin && origin !== url.origin) {
		return apiError(403, `Requests from ${origin} are not allowed; use Parley from ${url.origin}.`);
	}

	if (isAuthPath(url.toString(), auth.options)) {
		const refused = await checkAuthRequest(request);
		if (refused) return refused;
		const response = await signInBackoff.guard(request, () => auth.handler(request));
		// Sign-out, revocation and account deletion end sessions: their live connections end now, not at the next check.
		if (!SAFE_METHODS.has(request.method)) liveSessions.checkSoon();
		return response;
	}
	const session = await auth.api.getSession({ headers: request.headers });
	event.locals.user = session ? { id: session.user.id, name: session.user.name, email: session.user.email } : null;
	event.locals.sessionId = session?.session.id ?? null;
	return resolve(event);
};

export const handleError: HandleServerError = ({ kind, error, event }) => {
	const notFound = kind === 'framework' && error.status === 404;
	if (!notFound) getContext().log.error('request.failed', { kind, method: event.request.method, path: event.url.pathname, error });
	return { message: notFound ? 'Not found' : 'Parley could not handle that request. Try again in a moment.' };
};
