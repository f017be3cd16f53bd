import { api, noContent } from '#lib/server/api-handler.ts';

export const DELETE = api(({ event, user, context }) => {
	context.rooms.revokeInvite(user.id, event.params.id!, event.params.token!);
	return noContent();
});
