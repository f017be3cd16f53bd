import { noContent } from '#lib/server/api-handler.ts';
import { adminApi } from '#lib/server/admin-api.ts';

/** Deletes an (abusive) room whoever owns it; its sockets close. */
export const DELETE = adminApi(async ({ event, user, context }) => {
	await context.admin.deleteRoom(user.id, event.params.id!);
	return noContent();
});
