import { api, noContent } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { blockBody } from '#lib/rooms/schemas.ts';

export const GET = api(({ user, context }) => ({ blocked: context.rooms.blocks.list(user.id) }));

/** Blocks someone: they can no longer invite, add, ring or message me. */
export const POST = api(async ({ event, user, context }) => {
	const { userId } = await readJsonBody(event.request, blockBody);
	context.rooms.people.block(user.id, userId);
	return noContent();
});
