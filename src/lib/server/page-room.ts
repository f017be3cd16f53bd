import { error, redirect } from '@sveltejs/kit';
import type { RoomDetail, RoomRefusal } from '#lib/rooms/types.ts';
import { isApiFailure } from './api-failure.ts';
import { getContext } from './context.ts';

/** Loads a room for a page: sends signed-out people to sign in, and answers 404 to non-members. */
export function loadRoomForPage(event: { locals: App.Locals; params: { id?: string }; url: URL; depends: (dep: `${string}:${string}`) => void }): { user: NonNullable<App.Locals['user']>; room: RoomDetail } {
	const { locals, params, url } = event;
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	event.depends(`app:room:${params.id}`);
	const { rooms } = getContext();
	try {
		return { user: locals.user, room: rooms.get(locals.user.id, params.id!) };
	} catch (failure) {
		if (!isApiFailure(failure)) throw failure;
		if (failure.status !== 404) error(failure.status, failure.message);
		// A ban or an invitation is only ever of this person, so naming it tells them nothing new.
		const room: RoomRefusal = rooms.banned(params.id!, locals.user.id) ? 'removed' : rooms.invited(params.id!, locals.user.id) ? 'invited' : 'unavailable';
		error(404, failure.message, { room });
	}
}
