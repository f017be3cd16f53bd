import { api, noContent } from '#lib/server/api-handler.ts';

export const DELETE = api(({ event, user, context }) => {
	context.rooms.inviteLinks.revoke(user.id, event.params.id!, event.params.token!);
	return noContent();
});
