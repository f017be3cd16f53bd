import { api, noContent } from '#lib/server/api-handler.ts';

export const DELETE = api(({ event, user, context }) => {
	context.rooms.people.unblock(user.id, event.params.userId!);
	return noContent();
});
