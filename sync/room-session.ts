import * as Y from 'yjs';
import type { Compactor } from './compactor.ts';
import { MAX_CLOCK_SKEW_MS, MESSAGES } from '../src/lib/core/chat/schema.ts';
import { validateUpdate, viewOf, type UpdateContext, type Verdict } from '../src/lib/core/chat/validate-update.ts';
import type { SyncLimits } from '../src/lib/server/config.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { Metrics, RefusalReason } from '../src/lib/server/metrics.ts';
import type { Role } from '../src/lib/rooms/schemas.ts';
import { MessageIndex, type IndexedMessage } from './message-index.ts';
import { documentName, type HistoryMode, type Period } from '../src/lib/core/chat/period.ts';
import { ack, deny, readClientMessage, syncStep1, syncStep2, syncStep2Of, updateMessage } from './protocol.ts';
import { loadRoomDoc } from './room-load.ts';
import { RoomPresence, type RoomPresenceOptions } from './room-presence.ts';
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
type Staged = { relay: Uint8Array[]; added: IndexedMessage[]; removed: string[]; edited: IndexedMessage[] };

export type RoomSessionOptions = {
	roomId: string;
	/**
	 * Which of the room's documents (period.ts): '' for its main one, which carries presence and
	 * calls. `history` says whether messages live in the main document or in one per month.
	 */
	period?: Period | '';
	history?: HistoryMode;
	/** What each person may write, shared by all of the room's documents (one is made when not given). */
	writes?: WriteLimits;
	store: SyncStore;
	log: Logger;
	limits: SyncLimits;
	/** Counts what happens to each update. */
	metrics: SyncMetrics;
	/** New messages, in batches (see MessageIndex). */
	onActivity: (added: IndexedMessage[]) => void;
	/** Messages deleted by a stored update (their files can go). */
	onMessagesRemoved?: (roomId: string, keys: string[]) => void;
	/** The rules an update must pass before it is applied (the shared chat rules; replaceable in tests). */
	validate?: (update: Uint8Array, ctx: UpdateContext) => Verdict;
	/** Compacts off the event loop; without one (a database in memory) the document compacts itself. */
	compactor?: Compactor;
} & Pick<RoomPresenceOptions, 'onCallJoin' | 'onCall' | 'onModeration'>;

export type SyncMetrics = Pick<Metrics, 'updatesAccepted' | 'updatesRefused' | 'syncLatency'>;

/** Close code for a connection whose update could not be applied: it must reconnect and sync again. */
export const CLOSE_BAD_UPDATE = 4400;
/**
 * Updates, or bytes of updates, stored since the last snapshot before one is written in the
 * background: loading replays what came after the snapshot, so neither many small updates nor a
 * few big ones pile up (at most ~1 MiB and one update to replay).
 */
const COMPACT_AFTER_UPDATES = 200;
/** A document whose snapshot is at least this big is sent as stored to a peer that has nothing (see #answerStep1). */
export const SEND_STORED_FROM_BYTES = 64 * 1024;
export const COMPACT_AFTER_BYTES = 1024 * 1024;

/**
 * One loaded room document and the people connected to it. Each update is validated, applied,
 * stored and only then acknowledged and relayed: nothing is stored that did not apply, and
 * nobody sees what was not stored. Presence is `RoomPresence`'s.
 */
export class RoomSession {
	readonly roomId: string;
	readonly period: Period | '';
	/** The document's name on the wire and in the store. */
	readonly name: string;
	readonly peers = new Set<Peer>();
	/** Presence goes on the room's main document only (null for a month's). */
	readonly presence: RoomPresence | null;
	/** Which entries the document takes (see UpdateContext.period). */
	readonly #scope: Period | null | undefined;
	readonly #store: SyncStore;
	readonly #log: Logger;
	readonly #metrics: SyncMetrics;
	readonly #limits: SyncLimits;
	readonly #writes: WriteLimits;
	readonly #index: MessageIndex;
	readonly #validate: (update: Uint8Array, ctx: UpdateContext) => Verdict;
	readonly #onMessagesRemoved: (roomId: string, keys: string[]) => void;
	readonly #compactor: Compactor | undefined;
	#doc!: Y.Doc;
	#clients!: Map<number, string>;
	#seq = 0;
	#sinceSnapshot = 0;
	#bytesSinceSnapshot = 0;
	#compacting = false;
	/** While an update is being applied: what it would relay and index, released only once it is stored. */
	#staged: Staged | null = null;
	/** Updates applied here whose write the store has not confirmed yet (it batches a turn's writes). */
	#pendingWrites = 0;
	/** Counts reloads: a write queued before one belongs to a document that is gone. */
	#generation = 0;
	#destroyed = false;

	constructor(options: RoomSessionOptions) {
		this.roomId = options.roomId;
		this.period = options.period ?? '';
		this.name = documentName(this.roomId, this.period || undefined);
		this.#scope = options.history !== 'monthly' ? undefined : this.period || null;
		this.#store = options.store;
		this.#log = options.log;
		this.#metrics = options.metrics;
		this.#limits = options.limits;
		this.#validate = options.validate ?? validateUpdate;
		this.#onMessagesRemoved = options.onMessagesRemoved ?? (() => {});
		this.#compactor = options.compactor;
		this.#writes = options.writes ?? new WriteLimits(this.roomId, this.#store, this.#limits);
		this.#index = new MessageIndex(this.name, this.#store, this.#log, options.onActivity);
		this.#load();
		// A room's main document holds messages only in a room kept in one document. In a room split by
		// month it holds none, and the indexes' rows of the room are all its months': nothing to catch up.
		if (this.#scope !== null) this.#index.catchUp(this.#doc.getMap(MESSAGES));
		this.presence = this.period
			? null
			: new RoomPresence({
					roomId: this.roomId,
					log: this.#log,
					limits: this.#limits,
					clientOwner: (client) => this.#clients.get(client),
					onCallJoin: options.onCallJoin,
					onCall: options.onCall,
					onModeration: options.onModeration
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
		this.#generation += 1;
		this.#doc?.destroy();
		const loaded = loadRoomDoc(this.name, this.#store, this.#log);
		this.#doc = loaded.doc;
		this.#clients = loaded.clients;
		this.#seq = loaded.lastSeq;
		this.#sinceSnapshot = loaded.sinceSnapshot;
		this.#bytesSinceSnapshot = loaded.bytesSinceSnapshot;
		this.#doc.on('update', (update: Uint8Array, origin: unknown) => {
			const bytes = updateMessage(update);
			if (this.#staged) this.#staged.relay.push(bytes);
			else for (const peer of this.peers) if (peer !== origin) peer.send(bytes);
		});
		this.#doc.getMap(MESSAGES).observe((event) => {
			const { added, removed, edited } = MessageIndex.changes(event);
			if (this.#staged) {
				this.#staged.added.push(...added);
				this.#staged.removed.push(...removed);
				this.#staged.edited.push(...edited);
			} else this.#index.record(added, removed, edited);
		});
	}

	join(peer: Peer): void {
		this.peers.add(peer);
		peer.send(syncStep1(this.#doc));
		this.presence?.join(peer);
	}

	leave(peer: Peer): void {
		this.peers.delete(peer);
		this.presence?.leave(peer);
	}

	/** People with this room open right now. */
	usersPresent(): Set<string> {
		return new Set([...this.peers].map((p) => p.userId));
	}

	/** Handles one binary frame from a peer; a malformed frame is answered, never fatal. */
	receive(peer: Peer, data: Uint8Array): void {
		// Not only decoding throws on garbage: so does answering a state vector that is not one.
		try {
			const message = readClientMessage(data);
			if (message.type === 'sync-step1') {
				// Nobody sees what is not stored: this turn's writes first.
				this.#settle();
				for (const bytes of this.#answerStep1(message.stateVector)) peer.send(bytes);
			}
			else if (message.type === 'update') this.#receiveUpdate(peer, message.update);
			// A month's document has no presence: what a client says there is not for anyone.
			else if (message.type === 'awareness') this.presence?.receive(peer, message.entries);
			else if (message.type === 'query-awareness') {
				if (this.presence) peer.send(this.presence.everyone());
			}
			else if (message.type === 'unknown') peer.send(deny(message.reason));
		} catch {
			peer.send(deny('malformed message'));
		}
	}

	#refuse(peer: Peer, reason: string, bytes: number, code: RefusalReason): void {
		this.#metrics.updatesRefused.inc({ reason: code });
		this.#log.warn('sync.update_rejected', { roomId: this.roomId, period: this.period, userId: peer.userId, reason, bytes });
		peer.send(deny(`update rejected: ${reason}`));
	}

	#receiveUpdate(peer: Peer, update: Uint8Array): void {
		const received = performance.now();
		const allowed = this.#writes.take(peer.userId, update.byteLength);
		if (!allowed.ok) return this.#refuse(peer, allowed.reason, update.byteLength, allowed.limit);
		const verdict = this.#validate(update, {
			userId: peer.userId,
			canModerate: peer.role !== 'member',
			now: Date.now(),
			notBefore: peer.joinedAt - MAX_CLOCK_SKEW_MS,
			doc: viewOf(this.#doc),
			clientOwner: (client) => this.#clients.get(client),
			fileRecord: (id) => this.#store.file(this.roomId, id),
			isMember: (userId) => this.#store.isMember(this.roomId, userId),
			period: this.#scope
		});
		if (!verdict.ok) return this.#refuse(peer, verdict.reason, update.byteLength, 'invalid');
		if (!verdict.changes) {
			// Its acknowledgement says what the room holds: only once that is stored.
			this.#settle();
			return this.#accepted(peer, received);
		}

		// Apply first, holding back what it would relay and index: an update Yjs cannot apply is never stored.
		const staged: Staged = { relay: [], added: [], removed: [], edited: [] };
		this.#staged = staged;
		try {
			Y.applyUpdate(this.#doc, update, peer);
		} catch (error) {
			this.#staged = null;
			this.#metrics.updatesRefused.inc({ reason: 'unappliable' });
			this.#log.error('sync.update_unappliable', { roomId: this.roomId, period: this.period, userId: peer.userId, bytes: update.byteLength, error });
			this.#load();
			peer.send(deny('update rejected: it could not be applied to the room; sync again'));
			return peer.close(CLOSE_BAD_UPDATE, 'Your change could not be applied; reconnect to sync again');
		}
		this.#staged = null;

		const newClients = verdict.clients.filter((c) => !this.#clients.has(c));
		// Bound at once, so that no one else's update can write as these clients before the store answers.
		for (const client of newClients) this.#clients.set(client, peer.userId);
		this.#seq += 1;
		this.#sinceSnapshot += 1;
		this.#bytesSinceSnapshot += update.byteLength;
		this.#pendingWrites += 1;
		this.#writes.storing(peer.userId, update.byteLength);
		const generation = this.#generation;
		this.#store.appendSoon(this.name, this.#seq, update, { userId: peer.userId, day: allowed.day, newClients, claims: verdict.claims }, (error) => {
			this.#pendingWrites -= 1;
			if (this.#destroyed) return;
			if (error !== undefined) {
				this.#writes.dropped(peer.userId, update.byteLength);
				// Not stored, so it must not stay applied either: back to what is stored; the client sends it again.
				this.#metrics.updatesRefused.inc({ reason: 'store_failed' });
				this.#log.error('sync.store_failed', { roomId: this.roomId, period: this.period, userId: peer.userId, error });
				if (generation === this.#generation) this.#load();
				return peer.close(1011, 'The server could not save your change; it will be sent again');
			}
			this.#writes.stored(peer.userId, allowed.day, update.byteLength);
			this.#accepted(peer, received);
			for (const bytes of staged.relay) for (const other of this.peers) if (other !== peer) other.send(bytes);
			this.#index.record(staged.added, staged.removed, staged.edited);
			if (staged.removed.length) this.#onMessagesRemoved(this.roomId, staged.removed);
			if (this.#sinceSnapshot >= COMPACT_AFTER_UPDATES || this.#bytesSinceSnapshot >= COMPACT_AFTER_BYTES) setImmediate(() => this.compact());
		});
	}

	/**
	 * What a peer that sent its state vector is missing. A peer with nothing (a new device, a month it
	 * never opened) gets the document as stored: the updates after the snapshot, then the snapshot as
	 * sync step 2 (Yjs holds the updates until what they build on arrives, so the peer is whole once it
	 * counts as synced). Encoding the whole document instead would take a month of 100,000 messages
	 * ~100 ms on the event loop for every such peer; reading it from SQLite copies bytes.
	 */
	#answerStep1(stateVector: Uint8Array): Uint8Array[] {
		if (Y.decodeStateVector(stateVector).size === 0) {
			const stored = this.#store.load(this.name);
			if (stored.snapshot && stored.snapshot.byteLength >= SEND_STORED_FROM_BYTES) return [...stored.updates.map((u) => updateMessage(u.data)), syncStep2Of(stored.snapshot)];
		}
		return [syncStep2(this.#doc, stateVector)];
	}

	/** Writes this turn's queued updates now, when this room has some. */
	#settle(): void {
		if (this.#pendingWrites > 0) this.#store.flush();
	}

	/** Stored (or nothing new): acknowledged, counted, and timed from when it was received. */
	#accepted(peer: Peer, received: number): void {
		if (peer.wantsAck) peer.send(ack(this.#doc));
		this.#metrics.updatesAccepted.inc();
		this.#metrics.syncLatency.observe((performance.now() - received) / 1000);
	}

	/**
	 * Folds the stored updates into one snapshot, after the current relay (setImmediate) and on
	 * unload. On the compactor's thread when there is one: encoding a month of 100,000 messages takes
	 * ~270 ms, which on the event loop would hold up every room. `now`: here and at once (at shutdown).
	 */
	compact(options: { now?: boolean } = {}): void {
		this.#settle();
		if (this.#compacting || this.#sinceSnapshot === 0) return;
		if (options.now || !this.#compactor?.working) return this.#compactHere();
		this.#compacting = true;
		const started = performance.now();
		const [seq, since, bytes] = [this.#seq, this.#sinceSnapshot, this.#bytesSinceSnapshot];
		this.#compactor
			.compact(this.roomId, this.period, seq)
			.then(
				(done) => {
					// What arrived meanwhile is still to compact.
					this.#sinceSnapshot = Math.max(0, this.#sinceSnapshot - since);
					this.#bytesSinceSnapshot = Math.max(0, this.#bytesSinceSnapshot - bytes);
					this.#log.info('sync.compacted', { roomId: this.roomId, period: this.period, updates: done.updates, bytes: done.bytes, written: done.written, thread: 'worker', ms: Math.round(performance.now() - started) });
				},
				(error: unknown) => this.#log.error('sync.compact_failed', { roomId: this.roomId, period: this.period, error })
			)
			.finally(() => (this.#compacting = false));
	}

	#compactHere(): void {
		this.#compacting = true;
		const started = performance.now();
		try {
			const snapshot = Y.encodeStateAsUpdate(this.#doc);
			this.#store.compact(this.name, this.#seq, snapshot);
			this.#log.info('sync.compacted', { roomId: this.roomId, period: this.period, updates: this.#sinceSnapshot, bytes: snapshot.byteLength, written: true, thread: 'main', ms: Math.round(performance.now() - started) });
			this.#sinceSnapshot = 0;
			this.#bytesSinceSnapshot = 0;
		} catch (error) {
			this.#log.error('sync.compact_failed', { roomId: this.roomId, period: this.period, error });
		} finally {
			this.#compacting = false;
		}
	}

	/** Unloads the document; `keep` false when the room itself is gone (nothing left to write). */
	destroy(keep = true): void {
		if (keep) {
			this.#settle();
			this.#index.flush();
		}
		this.#destroyed = true;
		this.#index.destroy();
		this.presence?.destroy();
		this.#doc.destroy();
	}
}
