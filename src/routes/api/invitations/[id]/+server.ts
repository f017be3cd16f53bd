import { api, noContent } from '#lib/server/api-handler.ts';

/** Accept: I become a member of the room. */
export const POST = api(({ event, user, context }) => context.rooms.acceptInvitation(user.id, event.params.id!));

/** Decline: the invitation is gone. */
export const DELETE = api(({ event, user, context }) => {
	context.rooms.cancelInvitation(user.id, event.params.id!, user.id);
	return noContent();
});
