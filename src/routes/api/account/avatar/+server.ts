import { api, noContent } from '#lib/server/api-handler.ts';

/** Sets the signed-in person's picture: the body is the image (at most 1 MB, the request limit); the server re-encodes it. */
export const PUT = api(async ({ event, user, context }) => {
	const avatar = await context.avatars.set({ kind: 'user', id: user.id }, new Uint8Array(await event.request.arrayBuffer()));
	context.rooms.renamedPerson(user.id);
	return { avatar };
});

export const DELETE = api(({ user, context }) => {
	context.avatars.remove({ kind: 'user', id: user.id });
	context.rooms.renamedPerson(user.id);
	return noContent();
});
