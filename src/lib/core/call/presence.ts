import type { LowerRequest } from './hand-queue.ts';
import { isReactionEmoji, type CallReaction } from './reactions.ts';
import type { MuteRequest, UnmuteAsk } from './moderation.ts';

/**
 * Call membership lives on the room document's awareness: every state with a `call` field is a
 * participant. Pure helpers to read it, shared by the call engine and the UI.
 */
export type CallPresence = {
	peerId: string;
	joinedAt: number;
	audio: boolean;
	video: boolean;
	screen: boolean;
	/** A short description of the device ("phone", "desktop"), shown next to the name. */
	device: string;
	/** The path this device receives the call on; during a switch each says when it has moved. */
	route: 'mesh' | 'sfu';
	/** When this person raised their hand (their clock, bounded by the server's), or null. */
	hand: number | null;
	/** The last reaction they sent, or null. */
	reaction: CallReaction | null;
	/** Owners and admins only: hands they ask others to lower (the server refuses these from anyone else). */
	lower: LowerRequest[];
	/** How many times this device has turned its microphone on (a moderator's mute names the count it silences). */
	unmutes: number;
	/** Owners and admins only: devices they muted, asked to unmute, people they removed, and whether they lock the call. */
	mute: MuteRequest[];
	askUnmute: UnmuteAsk[];
	remove: string[];
	/** A moderator's lock switch: the server applies `on` each time `n` changes. */
	lock: { on: boolean; n: number };
	/** A moderator ends the call for everyone each time this count goes up. */
	end: number;
};

/** No name: awareness carries what a browser claims; names come from the member list (member-names.ts). */
export type CallParticipant = CallPresence & { userId: string; clientId: number };

type AwarenessLike = { user?: { id?: unknown }; call?: Partial<CallPresence> | null };

/**
 * The one rule of call membership, for the browser and the server alike: an awareness state is
 * in the call when its `call` field carries a peer id (the id its media is reached at).
 */
export function inCall<T>(state: T): state is T & { call: { peerId: string } } {
	const call = (state as { call?: { peerId?: unknown } | null } | null | undefined)?.call;
	return typeof call === 'object' && call !== null && typeof call.peerId === 'string';
}

export function participantsOf(states: Map<number, AwarenessLike>): CallParticipant[] {
	const list: CallParticipant[] = [];
	for (const [clientId, state] of states) {
		const id = state.user?.id;
		if (!inCall(state) || typeof id !== 'string') continue;
		const call = state.call;
		list.push({
			clientId,
			userId: id,
			peerId: call.peerId,
			joinedAt: typeof call.joinedAt === 'number' ? call.joinedAt : 0,
			audio: call.audio !== false,
			video: call.video !== false,
			screen: call.screen === true,
			device: typeof call.device === 'string' ? call.device : '',
			route: call.route === 'sfu' ? 'sfu' : 'mesh',
			hand: typeof call.hand === 'number' ? call.hand : null,
			reaction: readReaction(call.reaction),
			lower: Array.isArray(call.lower) ? call.lower.filter((r) => typeof r?.userId === 'string' && typeof r.hand === 'number') : [],
			unmutes: typeof call.unmutes === 'number' ? call.unmutes : 0,
			mute: Array.isArray(call.mute) ? call.mute.filter((r) => typeof r?.peerId === 'string' && typeof r.unmutes === 'number') : [],
			askUnmute: Array.isArray(call.askUnmute) ? call.askUnmute.filter((r) => typeof r?.peerId === 'string' && typeof r.at === 'number') : [],
			remove: Array.isArray(call.remove) ? call.remove.filter((r) => typeof r === 'string') : [],
			lock: typeof call.lock?.n === 'number' ? { on: call.lock.on === true, n: call.lock.n } : { on: false, n: 0 },
			end: typeof call.end === 'number' ? call.end : 0
		});
	}
	return list.sort((a, b) => a.joinedAt - b.joinedAt || (a.peerId < b.peerId ? -1 : 1));
}

function readReaction(value: unknown): CallReaction | null {
	const r = value as Partial<CallReaction> | null | undefined;
	return r && isReactionEmoji(r.emoji) && typeof r.n === 'number' && typeof r.at === 'number' ? { emoji: r.emoji, n: r.n, at: r.at } : null;
}

export function deviceKind(userAgent: string): string {
	return /Mobi|Android|iPhone|iPad/i.test(userAgent) ? 'phone' : 'desktop';
}

/** The server moves a call to the SFU when it reaches this many participants (topology.ts decides, for sfu/call-router.ts). */
export const SFU_FROM = 5;

/** What the server announces about the room's call (sfu/call-router.ts): its topology, its videoroom, and the size limit when there is no SFU. */
export type ServerCall = { topology: 'mesh' | 'sfu'; janusRoom: number | null; sfu: boolean; limit: number | null };

/** What a person in a call on the SFU is given to open its videoroom (sfu/service.ts): the id, and a single-use ticket for one /sfu connection. */
export type SfuTicket = { janusRoom: number; ticket: string };

/** The answer of `POST /api/rooms/<id>/call/sfu`: the ticket, and the ICE servers (with TURN credentials) to reach Janus. */
export type SfuJoin = SfuTicket & { iceServers: RTCIceServer[] };

/** The server's entry on awareness (`{ server: { call } }`; the server refuses it from anyone else). */
export function serverCallOf(states: Map<number, { server?: { call?: Partial<ServerCall> } }>): ServerCall | null {
	for (const state of states.values()) {
		const call = state.server?.call;
		if (!call) continue;
		return {
			topology: call.topology === 'sfu' ? 'sfu' : 'mesh',
			janusRoom: typeof call.janusRoom === 'number' ? call.janusRoom : null,
			sfu: call.sfu === true,
			limit: typeof call.limit === 'number' ? call.limit : null
		};
	}
	return null;
}
