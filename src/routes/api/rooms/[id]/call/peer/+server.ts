import { api, created } from '#lib/server/api-handler.ts';
import { iceServersFor } from '#lib/server/ice-servers.ts';

/** A peer id for joining this room's call, and the ICE servers to use. */
export const POST = api(({ event, user, context }) => {
	const peerId = context.issuePeerId(event.params.id!, user.id);
	return created({ peerId, iceServers: iceServersFor(user.id, context.config.ice) });
});
