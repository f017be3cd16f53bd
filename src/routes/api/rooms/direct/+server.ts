import { json } from '@sveltejs/kit';
import { api } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { directRoomBody } from '#lib/rooms/schemas.ts';

export const POST = api(async ({ event, user, context }) => {
	const { userId } = await readJsonBody(event.request, directRoomBody);
	const { room, created } = context.rooms.direct(user.id, userId);
	return json(room, { status: created ? 201 : 200 });
});
