import { api, noContent } from '#lib/server/api-handler.ts';

/** Signs one of my other devices out: its pages and live connections lose the session at once. */
export const DELETE = api(async ({ event, user, context }) => {
	await context.accountSessions.signOut(user.id, event.locals.sessionId, event.params.id!, event.request.headers);
	context.liveSessions.checkSoon();
	return noContent();
});
