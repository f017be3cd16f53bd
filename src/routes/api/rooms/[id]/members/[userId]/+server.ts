import { api, noContent } from '#lib/server/api-handler.ts';
import { readJsonBody, validate } from '#lib/server/json-body.ts';
import { banFlag, changeRoleBody } from '#lib/rooms/schemas.ts';

export const PATCH = api(async ({ event, user, context }) => {
	const { role } = await readJsonBody(event.request, changeRoleBody);
	return { members: context.rooms.changeRole(user.id, event.params.id!, event.params.userId!, role) };
});

/** Removes someone, or leaves (own id); `?ban=1` also bans them from coming back. */
export const DELETE = api(({ event, user, context }) => {
	const ban = validate(event.url.searchParams.get('ban') ?? undefined, banFlag) === '1';
	context.rooms.removeMember(user.id, event.params.id!, event.params.userId!, { ban });
	return noContent();
});
