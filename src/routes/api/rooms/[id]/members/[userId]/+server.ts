import { api, noContent } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { changeRoleBody } from '#lib/rooms/schemas.ts';

export const PATCH = api(async ({ event, user, context }) => {
	const { role } = await readJsonBody(event.request, changeRoleBody);
	return { members: context.rooms.changeRole(user.id, event.params.id!, event.params.userId!, role) };
});

export const DELETE = api(({ event, user, context }) => {
	context.rooms.removeMember(user.id, event.params.id!, event.params.userId!);
	return noContent();
});
