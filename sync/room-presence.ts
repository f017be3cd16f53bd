import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { SyncLimits } from '../src/lib/server/config.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { Role } from '../src/lib/rooms/schemas.ts';
import { TokenBucket } from '../src/lib/server/rate-limit.ts';
import type { CallMembers } from '../sfu/call-router.ts';
import { guardAwareness, type AwarenessEntry } from './awareness-guard.ts';
import { inCall } from '../src/lib/core/call/presence.ts';
import type { ServerModeration } from '../src/lib/core/call/moderation.ts';
import { awarenessMessage, deny, writeAwarenessEntries } from './protocol.ts';

/** What presence needs of a connection: who it is, and their role in the room (owners and admins may lower others' hands). */
export type PresencePeer = { userId: string; role: Role; send(message: Uint8Array): void };

/** Per connection: its one awareness client, its allowance, and the states held back until the allowance lets them through. */
type PeerPresence = { client: number | undefined; budget: TokenBucket; reactions: TokenBucket; held: Map<number, AwarenessEntry>; flush?: NodeJS.Timeout };

export type RoomPresenceOptions = {
	roomId: string;
	log: Logger;
	limits: Pick<SyncLimits, 'awarenessUpdatesPerMinute' | 'awarenessStateBytes' | 'callDevicesPerPerson' | 'callReactionsPerMinute' | 'callRemovalMinutes'>;
	/** The person a Yjs client id is bound to in the room document, if any. */
	clientOwner(client: number): string | undefined;
	/** Someone appeared in this room's call (their awareness gained a `call`). */
	onCallJoin?: (userId: string) => void;
	/** Who is in this room's call, each time that (or their number of devices) changes. */
	onCall?: (members: CallMembers) => void;
	/** The call's lock or removals changed (the SFU refuses and kicks by them). */
	onModeration?: (moderation: ServerModeration) => void;
};

const MINUTE_MS = 60_000;
/** Someone in a call ended for everyone stays out of it this long: their browser leaves rather than joining it again. */
const END_HOLD_MS = 10_000;

/**
 * A room's presence (y-protocols awareness), relayed as far as each person may claim it
 * (`awareness-guard.ts`): one client per connection, within an allowance per minute, plus the
 * server's own entry. Counts who is in the room's call from it.
 */
export class RoomPresence {
	/** The server's presence, with an identity of its own (the room document can be rebuilt under it). */
	readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
	readonly #peers = new Map<PresencePeer, PeerPresence>();
	readonly #options: RoomPresenceOptions;
	#inCall = new Set<string>();
	#callSize = 0;
	/** What the server's entry says (the call's route from the router, and moderation from here). */
	#server: Record<string, unknown> = {};
	/** Owners' and admins' decisions for this call; they end with it. */
	#lock: { by: string } | null = null;
	readonly #removed = new Map<string, { by: string; until: number; ended?: boolean }>();

	constructor(options: RoomPresenceOptions) {
		this.#options = options;
		this.awareness.setLocalState(null);
		this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
			const bytes = awarenessMessage(this.awareness, [...added, ...updated, ...removed]);
			for (const peer of this.#peers.keys()) peer.send(bytes);
			this.#countCall();
		});
	}

	/** A new connection gets everyone's presence. */
	join(peer: PresencePeer): void {
		const { awarenessUpdatesPerMinute, callReactionsPerMinute } = this.#options.limits;
		this.#peers.set(peer, {
			client: undefined,
			budget: new TokenBucket(awarenessUpdatesPerMinute, MINUTE_MS),
			reactions: new TokenBucket(callReactionsPerMinute, MINUTE_MS),
			held: new Map()
		});
		const states = [...this.awareness.getStates().keys()];
		if (states.length) peer.send(awarenessMessage(this.awareness, states));
	}

	/** A connection closed: its presence leaves with it. */
	leave(peer: PresencePeer): void {
		const state = this.#peers.get(peer);
		this.#peers.delete(peer);
		clearTimeout(state?.flush);
		if (state?.client !== undefined && this.awareness.getStates().has(state.client)) awarenessProtocol.removeAwarenessStates(this.awareness, [state.client], null);
	}

	/** Everyone's presence, for a client that asks. */
	everyone(): Uint8Array {
		return awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]);
	}

	/** The server's own awareness entry, `{ server: … }`: what it tells everyone in the room (e.g. how the call runs). */
	setServerState(server: Record<string, unknown>): void {
		this.#server = { ...this.#server, ...server };
		this.awareness.setLocalState({ server: this.#server });
	}

	/** Who locked the room's call, or null. */
	get lock(): { by: string } | null {
		return this.#lock;
	}

	/** Why `userId` may not be in the call now, or null (`alreadyInCall`: this device is in it). */
	callRefusal(userId: string, alreadyInCall: boolean, canModerate: boolean): string | null {
		const removed = this.#removed.get(userId);
		if (removed && removed.until > Date.now()) return 'you were removed from this call';
		if (this.#lock && !alreadyInCall && !canModerate) return 'this call is locked';
		return null;
	}

	#moderation(): ServerModeration {
		const now = Date.now();
		return { lock: this.#lock, removed: [...this.#removed].filter(([, r]) => r.until > now).map(([userId, r]) => ({ userId, ...r })) };
	}

	#tellModeration(): void {
		const moderation = this.#moderation();
		this.setServerState({ moderation });
		this.#options.onModeration?.(moderation);
	}

	/** An owner's or admin's new requests (already checked by the guard): removals and the lock take effect here. */
	#moderate(peer: PresencePeer, before: unknown, after: unknown): void {
		const was = (before ?? {}) as { remove?: unknown; lock?: unknown; end?: unknown };
		const now = (after ?? {}) as { remove?: unknown; lock?: unknown; end?: unknown };
		let changed = false;
		const outOfCall: number[] = [];
		const removedBefore = new Set(Array.isArray(was.remove) ? was.remove : []);
		for (const userId of Array.isArray(now.remove) ? (now.remove as string[]) : []) {
			if (removedBefore.has(userId) || userId === peer.userId) continue;
			this.#removed.set(userId, { by: peer.userId, until: Date.now() + this.#options.limits.callRemovalMinutes * MINUTE_MS });
			changed = true;
			for (const [p, s] of this.#peers) if (p.userId === userId && s.client !== undefined && inCall(this.awareness.getStates().get(s.client))) outOfCall.push(s.client);
		}
		// Ending the call for everyone: everyone else in it is out of it now, as by a short removal (so no browser of theirs
		// announces the call again before it has left), and is told that the call was ended.
		if (typeof now.end === 'number' && now.end > 0 && now.end !== (was.end ?? 0)) {
			for (const [p, s] of this.#peers) {
				if (p.userId === peer.userId || s.client === undefined || !inCall(this.awareness.getStates().get(s.client))) continue;
				this.#removed.set(p.userId, { by: peer.userId, until: Date.now() + END_HOLD_MS, ended: true });
				outOfCall.push(s.client);
				changed = true;
			}
		}
		const lockBefore = (was.lock as { n?: unknown } | undefined)?.n ?? 0;
		const lock = now.lock as { on: boolean; n: number } | undefined;
		if (lock && lock.n !== lockBefore) {
			this.#lock = lock.on ? (this.#lock ?? { by: peer.userId }) : null;
			changed = true;
		}
		if (changed) this.#tellModeration();
		// Their call state leaves everyone's view now (after the word that they were removed, so their browser
		// leaves rather than announcing the call again); one they send again is refused.
		if (outOfCall.length) awarenessProtocol.removeAwarenessStates(this.awareness, outOfCall, null);
	}

	/** Passes on only the presence a connection may claim; a connection over its allowance has its latest states held back. */
	receive(peer: PresencePeer, entries: AwarenessEntry[]): void {
		const state = this.#peers.get(peer);
		if (!state) return;
		const { limits, clientOwner, roomId, log } = this.#options;
		const canModerate = peer.role === 'owner' || peer.role === 'admin';
		const previousCall = (client: number) => {
			const held = state.held.get(client);
			const current = held ? (JSON.parse(held.json) as { call?: unknown } | null) : this.awareness.getStates().get(client);
			return current?.call;
		};
		const before = new Map(entries.map((e) => [e.client, previousCall(e.client)]));
		const verdict = guardAwareness(entries, {
			userId: peer.userId,
			bound: state.client,
			serverClient: this.awareness.clientID,
			knownClock: (client) => this.awareness.meta.get(client)?.clock,
			clientOwner,
			heldByOther: (client) => [...this.#peers].some(([p, s]) => p.userId !== peer.userId && s.client === client),
			callDevicesElsewhere: (client) =>
				[...this.#peers].filter(([p, s]) => p.userId === peer.userId && s.client !== undefined && s.client !== client && inCall(this.awareness.getStates().get(s.client))).length,
			maxStateBytes: limits.awarenessStateBytes,
			maxCallDevices: limits.callDevicesPerPerson,
			canModerate,
			now: Date.now(),
			previousCall,
			takeReaction: () => state.reactions.take().ok,
			reactionsPerMinute: limits.callReactionsPerMinute,
			callRefusal: (alreadyInCall) => this.callRefusal(peer.userId, alreadyInCall, canModerate)
		});
		if (verdict.bound !== state.client && verdict.bound !== undefined) {
			// The same person's newer connection (a reconnect, or a reloaded page writing with the client id it had,
			// racing the old socket's close) takes the presence over: the old one's close or held-back states no longer touch it.
			for (const [p, s] of this.#peers) {
				if (p === peer || s.client !== verdict.bound) continue;
				s.client = undefined;
				s.held.delete(verdict.bound);
			}
		}
		state.client = verdict.bound;
		if (verdict.refusals.length) {
			log.warn('sync.awareness_dropped', { roomId, userId: peer.userId, dropped: verdict.refusals.length, reason: verdict.refusals[0] });
			peer.send(deny(`presence refused: ${verdict.refusals[0]}`));
		}
		if (!verdict.kept.length) return;
		if (canModerate) {
			for (const entry of verdict.kept) {
				const after = (JSON.parse(entry.json) as { call?: unknown } | null)?.call;
				this.#moderate(peer, before.get(entry.client), after);
				before.set(entry.client, after);
			}
		}
		for (const entry of verdict.kept) state.held.set(entry.client, entry);
		this.#release(peer, state);
	}

	#release(peer: PresencePeer, state: PeerPresence): void {
		if (!state.held.size || state.flush) return;
		const allowed = state.budget.take();
		if (!allowed.ok) {
			state.flush = setTimeout(() => {
				state.flush = undefined;
				if (this.#peers.get(peer) === state) this.#release(peer, state);
			}, allowed.retryMs).unref();
			return;
		}
		const entries = [...state.held.values()];
		state.held.clear();
		awarenessProtocol.applyAwarenessUpdate(this.awareness, writeAwarenessEntries(entries), peer);
	}

	/** Who is in this room's call (awareness states with a `call` published by a connection), and on how many devices. */
	#countCall(): void {
		const users = new Set<string>();
		let devices = 0;
		for (const [peer, { client }] of this.#peers) {
			if (client === undefined || !inCall(this.awareness.getStates().get(client))) continue;
			users.add(peer.userId);
			devices++;
		}
		const joined = [...users].filter((userId) => !this.#inCall.has(userId));
		for (const userId of joined) this.#options.onCallJoin?.(userId);
		const changed = devices !== this.#callSize || joined.length > 0 || users.size !== this.#inCall.size;
		// The call ended: its lock and removals end with it.
		if (devices === 0 && this.#callSize > 0 && (this.#lock || this.#removed.size)) {
			this.#lock = null;
			this.#removed.clear();
			queueMicrotask(() => this.#tellModeration());
		}
		this.#inCall = users;
		this.#callSize = devices;
		if (changed) this.#options.onCall?.({ devices, users });
	}

	destroy(): void {
		for (const state of this.#peers.values()) clearTimeout(state.flush);
		this.awareness.destroy();
	}
}
