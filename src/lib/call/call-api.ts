import { apiCall, type ApiResult } from '../rooms/api-client.ts';
import type { SfuJoin } from '../core/call/presence.ts';

/** The app server's call endpoints for one room (src/routes/api/rooms/[id]/call and ring). */
export type PeerIssue = { peerId: string; iceServers: RTCIceServer[] };
/** A peer id for this device's call, with the ICE servers (and TURN credentials) to use. */
export const issuePeer = (roomId: string): Promise<ApiResult<PeerIssue>> => apiCall<PeerIssue>('POST', `/api/rooms/${roomId}/call/peer`);

/** Tokens to join the call's SFU videoroom; throws what went wrong, for the call to show. */
export async function sfuJoin(roomId: string): Promise<SfuJoin> {
	const join = await apiCall<SfuJoin>('POST', `/api/rooms/${roomId}/call/sfu`);
	if (!join.ok) throw new Error(join.error);
	return join.data;
}

/** Rings the room's other members: the call has started. */
export const ring = (roomId: string) => apiCall('POST', `/api/rooms/${roomId}/ring`);

/** The call ended: closes ringing notifications on everyone's devices. */
export const stopRinging = (roomId: string) => apiCall('DELETE', `/api/rooms/${roomId}/ring`);
