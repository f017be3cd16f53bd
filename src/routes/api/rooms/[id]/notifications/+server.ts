import { api, noContent } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { notificationsBody } from '#lib/rooms/schemas.ts';

/** Sets what I hear of the room by push: `{ level: 'all' | 'mentions' | 'none' }`. */
export const PUT = api(async ({ event, user, context }) => {
	const { level } = await readJsonBody(event.request, notificationsBody);
	context.rooms.setNotifications(user.id, event.params.id!, level);
	return noContent();
});
