import { api, created } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { createInviteBody } from '#lib/rooms/schemas.ts';

export const GET = api(({ event, user, context }) => ({ invites: context.rooms.inviteLinks.list(user.id, event.params.id!, event.url.origin) }));

export const POST = api(async ({ event, user, context }) => {
	const body = await readJsonBody(event.request, createInviteBody);
	return created(context.rooms.inviteLinks.create(user.id, event.params.id!, body, event.url.origin));
});
