import { json } from '@sveltejs/kit';
import { api, noContent } from '#lib/server/api-handler.ts';

/** Rings the room's other members who are not in its call (web push). */
export const POST = api(async ({ event, user, context }) => {
	const devices = await context.push.ring(event.params.id!, user);
	return json({ devices }, { status: 202 });
});

/** The call ended or was cancelled: close the ringing notifications. */
export const DELETE = api(async ({ event, user, context }) => {
	context.rooms.requireMember(event.params.id!, user.id);
	await context.push.endRing(event.params.id!);
	return noContent();
});
