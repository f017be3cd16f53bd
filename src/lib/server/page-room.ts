import { error, redirect } from '@sveltejs/kit';
import type { RoomDetail } from '#lib/rooms/types.ts';
import { isApiFailure } from './api-failure.ts';
import { getContext } from './context.ts';

/** Loads a room for a page: sends signed-out people to sign in, and answers 404 to non-members. */
export function loadRoomForPage(event: { locals: App.Locals; params: { id?: string }; url: URL; depends: (dep: `${string}:${string}`) => void }): { user: NonNullable<App.Locals['user']>; room: RoomDetail } {
	const { locals, params, url } = event;
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	event.depends(`app:room:${params.id}`);
	try {
		return { user: locals.user, room: getContext().rooms.get(locals.user.id, params.id!) };
	} catch (failure) {
		if (isApiFailure(failure)) error(failure.status, failure.message);
		throw failure;
	}
}
