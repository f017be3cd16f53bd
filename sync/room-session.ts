import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { parseMessageKey } from '../src/lib/chat/message-key.ts';
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SERVER_STATE, MESSAGE_SYNC } from '../src/lib/chat/protocol.ts';
import { MESSAGES } from '../src/lib/chat/schema.ts';
import { validateUpdate, viewOf } from '../src/lib/chat/validate-update.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { Role } from '../src/lib/rooms/schemas.ts';
import type { SyncStore } from './store.ts';

/** What the session needs of a connection; the service wraps a `ws` socket in it. */
export type Peer = {
	userId: string;
	role: Role;
	wantsAck: boolean;
	send(message: Uint8Array): void;
	close(code: number, reason: string): void;
};

/** Updates stored since the last snapshot before one is written in the background. */
const COMPACT_AFTER_UPDATES = 200;

/**
 * One loaded room document and the people connected to it: validates, stores, applies
 * and relays updates (in that order), and relays awareness that each person may claim.
 */
export class RoomSession {
	readonly roomId: string;
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly peers = new Map<Peer, Set<number>>();
	readonly #store: SyncStore;
	readonly #log: Logger;
	readonly #clients: Map<number, string>;
	readonly #onActivity: (added: { key: string; authorId: string }[]) => void;
	/** Called when someone appears in this room's call (their awareness gained a `call`). */
	onCallJoin: (userId: string) => void = () => {};
	/** Called when the number of call participants (devices) changes. */
	onCallSize: (count: number) => void = () => {};
	#inCall = new Set<string>();
	#callSize = 0;
	#seq: number;
	#sinceSnapshot: number;
	#compacting = false;
	#pendingAdded: { key: string; authorId: string; createdAt: number }[] = [];
	#pendingRemoved: string[] = [];
	#indexTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(roomId: string, store: SyncStore, log: Logger, onActivity: (added: { key: string; authorId: string }[]) => void) {
		this.roomId = roomId;
		this.#store = store;
		this.#log = log;
		this.#onActivity = onActivity;
		const stored = store.load(roomId);
		this.#clients = stored.clients;
		this.#seq = stored.lastSeq;
		this.#sinceSnapshot = stored.updates.length;
		Y.transact(this.doc, () => {
			if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
			for (const update of stored.updates) Y.applyUpdate(this.doc, update);
		});
		this.awareness.setLocalState(null);
		// The index is written in batches after relaying; a crash can leave it behind the document. Catch up on load.
		const messages = this.doc.getMap(MESSAGES);
		if (store.indexedCount(roomId) !== messages.size) {
			const all = [...messages.keys()].flatMap((key) => {
				const parsed = parseMessageKey(key);
				return parsed ? [{ key, authorId: parsed.authorId, createdAt: parsed.time }] : [];
			});
			store.rebuildIndex(roomId, all);
			log.info('sync.index_rebuilt', { roomId, messages: all.length });
		}

		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			const message = encoding.createEncoder();
			encoding.writeVarUint(message, MESSAGE_SYNC);
			syncProtocol.writeUpdate(message, update);
			const bytes = encoding.toUint8Array(message);
			for (const peer of this.peers.keys()) if (peer !== origin) peer.send(bytes);
		});
		this.doc.getMap(MESSAGES).observe((event) => this.#index(event));
		this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			const changed = [...added, ...updated, ...removed];
			const owned = this.peers.get(origin as Peer);
			if (owned) {
				for (const id of [...added, ...updated]) owned.add(id);
				for (const id of removed) owned.delete(id);
			}
			const message = encoding.createEncoder();
			encoding.writeVarUint(message, MESSAGE_AWARENESS);
			encoding.writeVarUint8Array(message, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
			const bytes = encoding.toUint8Array(message);
			for (const peer of this.peers.keys()) peer.send(bytes);
			const { users, devices } = this.#callMembership();
			for (const userId of users) if (!this.#inCall.has(userId)) this.onCallJoin(userId);
			this.#inCall = users;
			if (devices !== this.#callSize) {
				this.#callSize = devices;
				this.onCallSize(devices);
			}
		});
	}

	join(peer: Peer): void {
		this.peers.set(peer, new Set());
		const step1 = encoding.createEncoder();
		encoding.writeVarUint(step1, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(step1, this.doc);
		peer.send(encoding.toUint8Array(step1));
		const states = [...this.awareness.getStates().keys()];
		if (states.length) {
			const message = encoding.createEncoder();
			encoding.writeVarUint(message, MESSAGE_AWARENESS);
			encoding.writeVarUint8Array(message, awarenessProtocol.encodeAwarenessUpdate(this.awareness, states));
			peer.send(encoding.toUint8Array(message));
		}
	}

	/** Who is in this room's call (awareness states with a `call`), and on how many devices. */
	#callMembership(): { users: Set<string>; devices: number } {
		const users = new Set<string>();
		let devices = 0;
		for (const state of this.awareness.getStates().values() as Iterable<{ user?: { id?: string }; call?: unknown }>) {
			if (!state.call || !state.user?.id) continue;
			users.add(state.user.id);
			devices++;
		}
		return { users, devices };
	}

	/** People whose awareness says they are in this room's call. */
	usersInCall(): Set<string> {
		return this.#inCall;
	}

	/** Call participants, counting each device. */
	callSize(): number {
		return this.#callSize;
	}

	/** The server's own awareness entry, `{ server: … }`: what it tells everyone in the room (e.g. how the call runs). */
	setServerState(server: Record<string, unknown>): void {
		this.awareness.setLocalState({ server });
	}

	/** People with this room open right now. */
	usersPresent(): Set<string> {
		return new Set([...this.peers.keys()].map((p) => p.userId));
	}

	leave(peer: Peer): void {
		const owned = this.peers.get(peer);
		this.peers.delete(peer);
		if (owned?.size) awarenessProtocol.removeAwarenessStates(this.awareness, [...owned], null);
	}

	/** Handles one binary frame from a peer; a malformed frame is answered, never fatal. */
	receive(peer: Peer, data: Uint8Array): void {
		try {
			const decoder = decoding.createDecoder(data);
			const type = decoding.readVarUint(decoder);
			if (type === MESSAGE_SYNC) {
				const kind = decoding.readVarUint(decoder);
				if (kind === syncProtocol.messageYjsSyncStep1) {
					const reply = encoding.createEncoder();
					encoding.writeVarUint(reply, MESSAGE_SYNC);
					syncProtocol.writeSyncStep2(reply, this.doc, decoding.readVarUint8Array(decoder));
					peer.send(encoding.toUint8Array(reply));
				} else if (kind === syncProtocol.messageYjsSyncStep2 || kind === syncProtocol.messageYjsUpdate) {
					this.#receiveUpdate(peer, decoding.readVarUint8Array(decoder));
				} else {
					this.#deny(peer, `unknown sync message ${kind}`);
				}
			} else if (type === MESSAGE_AWARENESS) {
				this.#receiveAwareness(peer, decoding.readVarUint8Array(decoder));
			} else if (type === MESSAGE_QUERY_AWARENESS) {
				const message = encoding.createEncoder();
				encoding.writeVarUint(message, MESSAGE_AWARENESS);
				encoding.writeVarUint8Array(message, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]));
				peer.send(encoding.toUint8Array(message));
			} else if (type !== MESSAGE_AUTH) {
				this.#deny(peer, `unknown message type ${type}`);
			}
		} catch {
			this.#deny(peer, 'malformed message');
		}
	}

	#receiveUpdate(peer: Peer, update: Uint8Array): void {
		const verdict = validateUpdate(update, {
			userId: peer.userId,
			canModerate: peer.role !== 'member',
			now: Date.now(),
			doc: viewOf(this.doc),
			clientOwner: (client) => this.#clients.get(client)
		});
		if (!verdict.ok) {
			this.#log.warn('sync.update_rejected', { roomId: this.roomId, userId: peer.userId, reason: verdict.reason, bytes: update.byteLength });
			this.#deny(peer, `update rejected: ${verdict.reason}`);
			return;
		}
		if (!verdict.changes) return this.#ack(peer);
		const newClients = verdict.clients.filter((c) => !this.#clients.has(c)).map((c): [number, string] => [c, peer.userId]);
		// Durable first: an update is relayed only once it would survive a crash.
		this.#store.append(this.roomId, this.#seq + 1, update, newClients);
		this.#seq += 1;
		this.#sinceSnapshot += 1;
		for (const [client, userId] of newClients) this.#clients.set(client, userId);
		Y.applyUpdate(this.doc, update, peer);
		this.#ack(peer);
		if (this.#sinceSnapshot >= COMPACT_AFTER_UPDATES) setImmediate(() => this.compact());
	}

	#ack(peer: Peer): void {
		if (!peer.wantsAck) return;
		const ack = encoding.createEncoder();
		encoding.writeVarUint(ack, MESSAGE_SERVER_STATE);
		encoding.writeVarUint8Array(ack, Y.encodeStateVector(this.doc));
		peer.send(encoding.toUint8Array(ack));
	}

	/** Passes on only the awareness entries the sender may claim: its own clients, describing itself. */
	#receiveAwareness(peer: Peer, update: Uint8Array): void {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		const kept = encoding.createEncoder();
		const entries: [number, number, string][] = [];
		let skipped = 0;
		for (let i = 0; i < count; i++) {
			const client = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const json = decoding.readVarString(decoder);
			// Stock y-websocket clients echo every state they receive: an echo changes nothing, skip it quietly.
			const known = this.awareness.meta.get(client);
			if (known && clock <= known.clock) {
				skipped++;
				continue;
			}
			const owner = this.#clients.get(client);
			const state = JSON.parse(json) as { user?: { id?: unknown }; server?: unknown } | null;
			// Only the server speaks as the server.
			if (client === this.doc.clientID || (state !== null && state.server !== undefined)) continue;
			// A state may leave out who it is (stock clients start with {}), but never name someone else.
			const claimsOther = state !== null && state.user !== undefined && state.user.id !== peer.userId;
			const ownedByOther = owner !== undefined && owner !== peer.userId;
			const controlledByOther = [...this.peers].some(([p, ids]) => p !== peer && p.userId !== peer.userId && ids.has(client));
			if (claimsOther || ownedByOther || controlledByOther) continue;
			entries.push([client, clock, json]);
		}
		if (entries.length + skipped < count) this.#log.warn('sync.awareness_dropped', { roomId: this.roomId, userId: peer.userId, dropped: count - entries.length - skipped });
		if (!entries.length) return;
		encoding.writeVarUint(kept, entries.length);
		for (const [client, clock, json] of entries) {
			encoding.writeVarUint(kept, client);
			encoding.writeVarUint(kept, clock);
			encoding.writeVarString(kept, json);
		}
		awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(kept), peer);
	}

	#deny(peer: Peer, reason: string): void {
		const message = encoding.createEncoder();
		encoding.writeVarUint(message, MESSAGE_AUTH);
		authProtocol.writePermissionDenied(message, reason);
		peer.send(encoding.toUint8Array(message));
	}

	#index(event: Y.YMapEvent<unknown>): void {
		const added: { key: string; authorId: string; createdAt: number }[] = [];
		for (const [key, change] of event.changes.keys) {
			if (change.action === 'add') {
				const parsed = parseMessageKey(key);
				if (parsed) added.push({ key, authorId: parsed.authorId, createdAt: parsed.time });
			} else if (change.action === 'delete') this.#pendingRemoved.push(key);
		}
		if (!added.length && !this.#pendingRemoved.length) return;
		this.#pendingAdded.push(...added);
		// The index (unread counts, last activity) is derived data: written in batches, off the relay path.
		this.#indexTimer ??= setTimeout(() => this.flushIndex(), 100);
		if (added.length) this.#onActivity(added);
	}

	/** Writes the pending message-index changes now. */
	flushIndex(): void {
		clearTimeout(this.#indexTimer);
		this.#indexTimer = undefined;
		if (!this.#pendingAdded.length && !this.#pendingRemoved.length) return;
		const added = this.#pendingAdded;
		const removed = this.#pendingRemoved;
		this.#pendingAdded = [];
		this.#pendingRemoved = [];
		try {
			this.#store.indexMessages(this.roomId, added, removed);
		} catch (error) {
			this.#log.error('sync.index_failed', { roomId: this.roomId, error });
		}
	}

	/**
	 * Folds the stored updates into one snapshot, after the current relay (setImmediate) and on
	 * unload. It runs on the main thread: about 20 ms for a 10k-message room, 270 ms at 100k.
	 */
	compact(): void {
		if (this.#compacting || this.#sinceSnapshot === 0) return;
		this.#compacting = true;
		try {
			this.#store.compact(this.roomId, this.#seq, Y.encodeStateAsUpdate(this.doc));
			this.#sinceSnapshot = 0;
		} catch (error) {
			this.#log.error('sync.compact_failed', { roomId: this.roomId, error });
		} finally {
			this.#compacting = false;
		}
	}

	/** Unloads the document; `keep` false when the room itself is gone (nothing left to write). */
	destroy(keep = true): void {
		if (keep) this.flushIndex();
		clearTimeout(this.#indexTimer);
		this.awareness.destroy();
		this.doc.destroy();
	}
}
