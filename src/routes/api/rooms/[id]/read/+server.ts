import { api, noContent } from '#lib/server/api-handler.ts';

/** Marks the room as read up to now (unread counts in the lobby). */
export const POST = api(({ event, user, context }) => {
	context.rooms.markRead(user.id, event.params.id!);
	return noContent();
});
