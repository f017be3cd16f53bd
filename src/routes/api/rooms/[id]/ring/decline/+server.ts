import { api, noContent } from '#lib/server/api-handler.ts';

/** "Decline" on a ringing notification: the people calling are told. */
export const POST = api(({ event, user, context }) => {
	context.push.decline(event.params.id!, user.id);
	return noContent();
});
