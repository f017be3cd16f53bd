import { api, noContent } from '#lib/server/api-handler.ts';

export const DELETE = api(({ event, user, context }) => {
	context.rooms.unblock(user.id, event.params.userId!);
	return noContent();
});
