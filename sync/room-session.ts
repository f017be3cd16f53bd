import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC } from '../src/lib/core/chat/protocol.ts';
import { MAX_CLOCK_SKEW_MS, MESSAGES } from '../src/lib/core/chat/schema.ts';
import { validateUpdate, viewOf, type UpdateContext, type Verdict } from '../src/lib/core/chat/validate-update.ts';
import type { SyncLimits } from '../src/lib/server/config.ts';
import type { Logger } from '../src/lib/server/log.ts';
import { TokenBucket } from '../src/lib/server/rate-limit.ts';
import type { Role } from '../src/lib/rooms/schemas.ts';
import type { CallMembers } from '../sfu/call-router.ts';
import { guardAwareness, type AwarenessEntry } from './awareness-guard.ts';
import { MessageIndex, type IndexedMessage } from './message-index.ts';
import { ack, awarenessMessage, deny, readAwarenessEntries, syncStep1, syncStep2, updateMessage, writeAwarenessEntries } from './protocol.ts';
import { loadRoomDoc } from './room-load.ts';
import type { SyncStore } from './store.ts';
import { WriteLimits } from './write-limits.ts';

/** What the session needs of a connection; the service wraps a `ws` socket in it. */
export type Peer = {
	userId: string;
	role: Role;
	/** When the person joined the room: new messages may not be dated before it. */
	joinedAt: number;
	wantsAck: boolean;
	send(message: Uint8Array): void;
	close(code: number, reason: string): void;
};

/** What applying an update would relay and index, held back until it is stored. */
type Staged = { relay: Uint8Array[]; added: IndexedMessage[]; removed: string[] };

/** What the session keeps per connection: its one awareness client, and its presence allowance. */
type PeerState = { client: number | undefined; budget: TokenBucket; held: Map<number, AwarenessEntry>; flush?: NodeJS.Timeout };

export type RoomSessionOptions = {
	roomId: string;
	store: SyncStore;
	log: Logger;
	limits: SyncLimits;
	onActivity: (added: { key: string; authorId: string }[]) => void;
	/** Someone appeared in this room's call (their awareness gained a `call`). */
	onCallJoin?: (userId: string) => void;
	/** Who is in this room's call, each time that (or their number of devices) changes. */
	onCall?: (members: CallMembers) => void;
	/** The rules an update must pass before it is applied (the shared chat rules; replaceable in tests). */
	validate?: (update: Uint8Array, ctx: UpdateContext) => Verdict;
};

/** Close code for a connection whose update could not be applied: it must reconnect and sync again. */
export const CLOSE_BAD_UPDATE = 4400;
/** Updates stored since the last snapshot before one is written in the background. */
const COMPACT_AFTER_UPDATES = 200;
const MINUTE_MS = 60_000;

/**
 * One loaded room document and the people connected to it. Each update is validated, applied,
 * stored and only then acknowledged and relayed: nothing is stored that did not apply, and
 * nobody sees what was not stored. Presence (awareness) is relayed as far as each person may claim it.
 */
export class RoomSession {
	readonly roomId: string;
	/** The server's presence, with an identity of its own (the room document can be rebuilt under it). */
	readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
	readonly peers = new Map<Peer, PeerState>();
	readonly #store: SyncStore;
	readonly #log: Logger;
	readonly #limits: SyncLimits;
	readonly #writes: WriteLimits;
	readonly #index: MessageIndex;
	readonly #validate: (update: Uint8Array, ctx: UpdateContext) => Verdict;
	#doc!: Y.Doc;
	#clients!: Map<number, string>;
	#seq = 0;
	#sinceSnapshot = 0;
	#compacting = false;
	/** While an update is being applied: what it would relay and index, released only once it is stored. */
	#staged: Staged | null = null;
	readonly #onCallJoin: (userId: string) => void;
	readonly #onCall: (members: CallMembers) => void;
	#inCall = new Set<string>();
	#callSize = 0;

	constructor(options: RoomSessionOptions) {
		this.roomId = options.roomId;
		this.#store = options.store;
		this.#log = options.log;
		this.#limits = options.limits;
		this.#validate = options.validate ?? validateUpdate;
		this.#onCallJoin = options.onCallJoin ?? (() => {});
		this.#onCall = options.onCall ?? (() => {});
		this.#writes = new WriteLimits(this.roomId, this.#store, this.#limits);
		this.#index = new MessageIndex(this.roomId, this.#store, this.#log, options.onActivity);
		this.#load();
		this.#index.catchUp(this.#doc.getMap(MESSAGES));
		this.awareness.setLocalState(null);
		this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
			const bytes = awarenessMessage(this.awareness, [...added, ...updated, ...removed]);
			for (const peer of this.peers.keys()) peer.send(bytes);
			this.#countCall();
		});
	}

	get doc(): Y.Doc {
		return this.#doc;
	}

	/**
	 * (Re)builds the document from what is stored; a stored update that does not apply is set aside.
	 * Also how a failed apply or store is undone: the live document may hold part of the update.
	 */
	#load(): void {
		this.#doc?.destroy();
		const loaded = loadRoomDoc(this.roomId, this.#store, this.#log);
		this.#doc = loaded.doc;
		this.#clients = loaded.clients;
		this.#seq = loaded.lastSeq;
		this.#sinceSnapshot = loaded.sinceSnapshot;
		this.#doc.on('update', (update: Uint8Array, origin: unknown) => {
			const bytes = updateMessage(update);
			if (this.#staged) this.#staged.relay.push(bytes);
			else for (const peer of this.peers.keys()) if (peer !== origin) peer.send(bytes);
		});
		this.#doc.getMap(MESSAGES).observe((event) => {
			const { added, removed } = MessageIndex.changes(event);
			if (this.#staged) {
				this.#staged.added.push(...added);
				this.#staged.removed.push(...removed);
			} else this.#index.record(added, removed);
		});
	}

	join(peer: Peer): void {
		this.peers.set(peer, { client: undefined, budget: new TokenBucket(this.#limits.awarenessUpdatesPerMinute, MINUTE_MS), held: new Map() });
		peer.send(syncStep1(this.#doc));
		const states = [...this.awareness.getStates().keys()];
		if (states.length) peer.send(awarenessMessage(this.awareness, states));
	}

	leave(peer: Peer): void {
		const state = this.peers.get(peer);
		this.peers.delete(peer);
		clearTimeout(state?.flush);
		if (state?.client !== undefined && this.awareness.getStates().has(state.client)) awarenessProtocol.removeAwarenessStates(this.awareness, [state.client], null);
	}

	/** Who is in this room's call (awareness states with a `call` published by a connection), and on how many devices. */
	#countCall(): void {
		const users = new Set<string>();
		let devices = 0;
		for (const [peer, { client }] of this.peers) {
			const state = client === undefined ? undefined : (this.awareness.getStates().get(client) as { call?: unknown } | undefined);
			if (!state?.call) continue;
			users.add(peer.userId);
			devices++;
		}
		const joined = [...users].filter((userId) => !this.#inCall.has(userId));
		for (const userId of joined) this.#onCallJoin(userId);
		const changed = devices !== this.#callSize || joined.length > 0 || users.size !== this.#inCall.size;
		this.#inCall = users;
		this.#callSize = devices;
		if (changed) this.#onCall({ devices, users });
	}

	/** The server's own awareness entry, `{ server: … }`: what it tells everyone in the room (e.g. how the call runs). */
	setServerState(server: Record<string, unknown>): void {
		this.awareness.setLocalState({ server });
	}

	/** People with this room open right now. */
	usersPresent(): Set<string> {
		return new Set([...this.peers.keys()].map((p) => p.userId));
	}

	/** Handles one binary frame from a peer; a malformed frame is answered, never fatal. */
	receive(peer: Peer, data: Uint8Array): void {
		try {
			const decoder = decoding.createDecoder(data);
			const type = decoding.readVarUint(decoder);
			if (type === MESSAGE_SYNC) {
				const kind = decoding.readVarUint(decoder);
				if (kind === syncProtocol.messageYjsSyncStep1) peer.send(syncStep2(this.#doc, decoding.readVarUint8Array(decoder)));
				else if (kind === syncProtocol.messageYjsSyncStep2 || kind === syncProtocol.messageYjsUpdate) this.#receiveUpdate(peer, decoding.readVarUint8Array(decoder));
				else peer.send(deny(`unknown sync message ${kind}`));
			} else if (type === MESSAGE_AWARENESS) {
				this.#receiveAwareness(peer, readAwarenessEntries(decoding.readVarUint8Array(decoder)));
			} else if (type === MESSAGE_QUERY_AWARENESS) {
				peer.send(awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
			} else if (type !== MESSAGE_AUTH) {
				peer.send(deny(`unknown message type ${type}`));
			}
		} catch {
			peer.send(deny('malformed message'));
		}
	}

	#refuse(peer: Peer, reason: string, bytes: number): void {
		this.#log.warn('sync.update_rejected', { roomId: this.roomId, userId: peer.userId, reason, bytes });
		peer.send(deny(`update rejected: ${reason}`));
	}

	#receiveUpdate(peer: Peer, update: Uint8Array): void {
		const allowed = this.#writes.take(peer.userId, update.byteLength);
		if (!allowed.ok) return this.#refuse(peer, allowed.reason, update.byteLength);
		const verdict = this.#validate(update, {
			userId: peer.userId,
			canModerate: peer.role !== 'member',
			now: Date.now(),
			notBefore: peer.joinedAt - MAX_CLOCK_SKEW_MS,
			doc: viewOf(this.#doc),
			clientOwner: (client) => this.#clients.get(client)
		});
		if (!verdict.ok) return this.#refuse(peer, verdict.reason, update.byteLength);
		if (!verdict.changes) return this.#ack(peer);

		// Apply first, holding back what it would relay and index: an update Yjs cannot apply is never stored.
		const staged: Staged = { relay: [], added: [], removed: [] };
		this.#staged = staged;
		try {
			Y.applyUpdate(this.#doc, update, peer);
		} catch (error) {
			this.#staged = null;
			this.#log.error('sync.update_unappliable', { roomId: this.roomId, userId: peer.userId, bytes: update.byteLength, error });
			this.#load();
			peer.send(deny('update rejected: it could not be applied to the room; sync again'));
			return peer.close(CLOSE_BAD_UPDATE, 'Your change could not be applied; reconnect to sync again');
		}
		this.#staged = null;

		const newClients = verdict.clients.filter((c) => !this.#clients.has(c));
		try {
			this.#store.append(this.roomId, this.#seq + 1, update, { userId: peer.userId, day: allowed.day, newClients });
		} catch (error) {
			// Not stored, so it must not stay applied either: back to what is stored; the client sends it again.
			this.#log.error('sync.store_failed', { roomId: this.roomId, userId: peer.userId, error });
			this.#load();
			return peer.close(1011, 'The server could not save your change; it will be sent again');
		}
		this.#seq += 1;
		this.#sinceSnapshot += 1;
		for (const client of newClients) this.#clients.set(client, peer.userId);
		this.#writes.stored(peer.userId, allowed.day, update.byteLength);
		this.#ack(peer);
		for (const bytes of staged.relay) for (const other of this.peers.keys()) if (other !== peer) other.send(bytes);
		this.#index.record(staged.added, staged.removed);
		if (this.#sinceSnapshot >= COMPACT_AFTER_UPDATES) setImmediate(() => this.compact());
	}

	#ack(peer: Peer): void {
		if (peer.wantsAck) peer.send(ack(this.#doc));
	}

	/** Passes on only the presence a connection may claim; a connection over its allowance has its latest states held back. */
	#receiveAwareness(peer: Peer, entries: AwarenessEntry[]): void {
		const state = this.peers.get(peer);
		if (!state) return;
		const verdict = guardAwareness(entries, {
			userId: peer.userId,
			bound: state.client,
			serverClient: this.awareness.clientID,
			knownClock: (client) => this.awareness.meta.get(client)?.clock,
			clientOwner: (client) => this.#clients.get(client),
			heldByOther: (client) => [...this.peers].some(([p, s]) => p.userId !== peer.userId && s.client === client),
			callDevicesElsewhere: (client) =>
				[...this.peers].filter(([p, s]) => p.userId === peer.userId && s.client !== undefined && s.client !== client && (this.awareness.getStates().get(s.client) as { call?: unknown } | undefined)?.call).length,
			maxStateBytes: this.#limits.awarenessStateBytes,
			maxCallDevices: this.#limits.callDevicesPerPerson
		});
		if (verdict.bound !== state.client && verdict.bound !== undefined) {
			// The same person's newer connection (a reconnect racing the old socket's close) takes the presence over.
			for (const [p, s] of this.peers) if (p !== peer && s.client === verdict.bound) s.client = undefined;
		}
		state.client = verdict.bound;
		if (verdict.refusals.length) {
			this.#log.warn('sync.awareness_dropped', { roomId: this.roomId, userId: peer.userId, dropped: verdict.refusals.length, reason: verdict.refusals[0] });
			peer.send(deny(`presence refused: ${verdict.refusals[0]}`));
		}
		if (!verdict.kept.length) return;
		for (const entry of verdict.kept) state.held.set(entry.client, entry);
		this.#releaseAwareness(peer, state);
	}

	#releaseAwareness(peer: Peer, state: PeerState): void {
		if (!state.held.size || state.flush) return;
		const allowed = state.budget.take();
		if (!allowed.ok) {
			state.flush = setTimeout(() => {
				state.flush = undefined;
				if (this.peers.get(peer) === state) this.#releaseAwareness(peer, state);
			}, allowed.retryMs).unref();
			return;
		}
		const entries = [...state.held.values()];
		state.held.clear();
		awarenessProtocol.applyAwarenessUpdate(this.awareness, writeAwarenessEntries(entries), peer);
	}

	/** Writes the pending message-index changes now. */
	flushIndex(): void {
		this.#index.flush();
	}

	/**
	 * Folds the stored updates into one snapshot, after the current relay (setImmediate) and on
	 * unload. It runs on the main thread: about 20 ms for a 10k-message room, 270 ms at 100k.
	 */
	compact(): void {
		if (this.#compacting || this.#sinceSnapshot === 0) return;
		this.#compacting = true;
		try {
			this.#store.compact(this.roomId, this.#seq, Y.encodeStateAsUpdate(this.#doc));
			this.#sinceSnapshot = 0;
		} catch (error) {
			this.#log.error('sync.compact_failed', { roomId: this.roomId, error });
		} finally {
			this.#compacting = false;
		}
	}

	/** Unloads the document; `keep` false when the room itself is gone (nothing left to write). */
	destroy(keep = true): void {
		if (keep) this.#index.flush();
		this.#index.destroy();
		for (const state of this.peers.values()) clearTimeout(state.flush);
		this.awareness.destroy();
		this.#doc.destroy();
	}
}
