import { api, created } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { addMemberBody } from '#lib/rooms/schemas.ts';

/** Invites someone: they become a member when they accept. */
export const POST = api(async ({ event, user, context }) => {
	const { userId } = await readJsonBody(event.request, addMemberBody);
	return created(context.rooms.addMember(user.id, event.params.id!, userId));
});
