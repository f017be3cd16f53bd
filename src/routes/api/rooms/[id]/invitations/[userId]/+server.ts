import { api, noContent } from '#lib/server/api-handler.ts';

/** The inviter (or an owner or admin) takes back an invitation not yet answered. */
export const DELETE = api(({ event, user, context }) => {
	context.rooms.cancelInvitation(user.id, event.params.id!, event.params.userId!);
	return noContent();
});
