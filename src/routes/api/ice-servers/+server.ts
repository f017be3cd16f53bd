import { api } from '#lib/server/api-handler.ts';
import { ApiFailure } from '#lib/server/api-failure.ts';
import { iceServersFor } from '#lib/server/ice-servers.ts';
import { m } from '#lib/paraglide/messages.js';

/** STUN and (when configured) TURN with short-lived credentials, for members of the room named in `?room=`. */
export const GET = api(({ event, user, context }) => {
	const roomId = event.url.searchParams.get('room');
	if (!roomId) throw new ApiFailure(400, m.err_which_room(), 'room');
	context.rooms.requireMember(roomId, user.id);
	return { iceServers: iceServersFor(user.id, context.config.ice) };
});
