import { api, created } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { createRoomBody } from '#lib/rooms/schemas.ts';

export const GET = api(({ user, context }) => ({ rooms: context.rooms.listForUser(user.id) }));

export const POST = api(async ({ event, user, context }) => {
	const body = await readJsonBody(event.request, createRoomBody);
	return created(context.rooms.create(user.id, body));
});
