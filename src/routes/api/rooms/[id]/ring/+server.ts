import { json } from '@sveltejs/kit';
import { api, noContent } from '#lib/server/api-handler.ts';

/** Rings the room's other members who are not in its call (web push, sent in the background). */
export const POST = api(({ event, user, context }) => {
	const { people } = context.push.ring(event.params.id!, user);
	return json({ people }, { status: 202 });
});

/** The call ended or was cancelled: close the ringing notifications. */
export const DELETE = api(({ event, user, context }) => {
	context.push.cancelRing(event.params.id!, user.id);
	return noContent();
});
