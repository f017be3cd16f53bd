import { api, noContent } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { renameRoomBody } from '#lib/rooms/schemas.ts';

export const GET = api(({ event, user, context }) => context.rooms.get(user.id, event.params.id!));

export const PATCH = api(async ({ event, user, context }) => {
	const { name } = await readJsonBody(event.request, renameRoomBody);
	return context.rooms.rename(user.id, event.params.id!, name);
});

export const DELETE = api(async ({ event, user, context }) => {
	await context.rooms.delete(user.id, event.params.id!);
	return noContent();
});
