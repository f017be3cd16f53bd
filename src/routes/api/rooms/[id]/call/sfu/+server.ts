import { api, created } from '#lib/server/api-handler.ts';
import { iceServersFor } from '#lib/server/ice-servers.ts';

/** Tokens to join this room's call on the SFU (only while it runs there), and the ICE servers to use. */
export const POST = api(async ({ event, user, context }) => {
	const join = await context.sfuJoin(event.params.id!, user.id);
	return created({ ...join, iceServers: iceServersFor(user.id, context.config.ice) });
});
