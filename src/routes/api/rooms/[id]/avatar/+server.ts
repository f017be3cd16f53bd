import { api, noContent } from '#lib/server/api-handler.ts';
import { avatarResponse } from '#lib/server/avatars.ts';

/** A group room's picture, for its members. */
export const GET = api(({ event, user, context }) => {
	const roomId = event.params.id!;
	context.rooms.requireMember(roomId, user.id);
	return avatarResponse(event.request, context.avatars.image({ kind: 'room', id: roomId }));
});

/** Sets it (owners and admins): the body is the image, at most 1 MB; the server re-encodes it. */
export const PUT = api(async ({ event, user, context }) => {
	const bytes = new Uint8Array(await event.request.arrayBuffer());
	const avatar = await context.rooms.changePicture(user.id, event.params.id!, (id) => context.avatars.set({ kind: 'room', id }, bytes, user.id));
	return { avatar };
});

export const DELETE = api(async ({ event, user, context }) => {
	await context.rooms.changePicture(user.id, event.params.id!, (id) => context.avatars.remove({ kind: 'room', id }, user.id));
	return noContent();
});
