import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { claimClientId } from './client-id.ts';
import { documentName, type HistoryMode, type Period } from '../core/chat/period.ts';
import { MESSAGE_AUTH, MESSAGE_SERVER_STATE, MESSAGE_SYNC } from '../core/chat/protocol.ts';

export type ConnectionStatus = 'offline' | 'connecting' | 'syncing' | 'synced' | 'closed';

/**
 * One of a room's documents in the browser (period.ts: its main one, with presence, or a month's):
 * opened from IndexedDB first, then synced with the server over y-websocket whenever the network
 * allows. Knows which of its own changes the server has stored (from the server's
 * acknowledgements), so messages can show as sending.
 */
export class RoomConnection {
	readonly doc = new Y.Doc();
	/** '' for the room's main document. */
	readonly period: Period | '';
	readonly local: IndexeddbPersistence;
	readonly provider: WebsocketProvider;
	/** Resolves once the document has been read from IndexedDB. */
	readonly loaded: Promise<void>;
	status: ConnectionStatus = 'connecting';
	/** Why the server last refused a change, if it did. */
	lastRefusal = '';
	/** Why the server closed the connection for good (signed out, removed from the room). */
	closedReason = '';
	#serverState: Map<number, number>;
	/** Attempts to reach the server failed since it last answered: no network, whatever the browser says. */
	#unreachable = false;
	#retry: ReturnType<typeof setTimeout> | undefined;
	readonly #listeners = new Set<() => void>();
	readonly #stateKey: string;

	/**
	 * `history`: how the room keeps its history. The main document of a room split by month is kept
	 * on the device apart from a copy of the room's old single document (`parley-room-<roomId>`),
	 * which legacy-copy.ts reads once for writes that never reached the server.
	 */
	constructor(roomId: string, user: { id: string; name: string }, period: Period | '' = '', history: HistoryMode = 'single') {
		this.period = period;
		const name = documentName(roomId, period || undefined);
		const local = period || history === 'single' ? `parley-room-${name}` : `parley-main-${roomId}`;
		this.#stateKey = `parley:server-state:${local}`;
		this.#serverState = readState(this.#stateKey);
		this.local = new IndexeddbPersistence(local, this.doc);
		// Once the device's copy is read, it writes with a client id it used for this document before when that is safe.
		this.loaded = this.local.whenSynced.then(() => claimClientId(name, this.doc, this.provider.awareness)).then(() => this.#followClientId());

		const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
		this.provider = new WebsocketProvider(`${protocol}//${location.host}/sync`, name, this.doc, {
			connect: false,
			params: { ack: '1' },
			maxBackoffTime: 5000
		});
		// Presence goes on the main document only: a month's says nothing.
		if (period) this.provider.awareness.setLocalState(null);
		else this.provider.awareness.setLocalStateField('user', { id: user.id, name: user.name });
		// Yjs moves the document to a new client id when it sees another writer use its own.
		this.doc.on('afterTransaction', () => this.#followClientId());
		this.provider.messageHandlers[MESSAGE_SERVER_STATE] = (_encoder, decoder) => {
			this.#serverState = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
			localStorage.setItem(this.#stateKey, JSON.stringify([...this.#serverState]));
			this.#emit();
		};
		// The server says why it refused a change; after a gap ("sync first") send what it is missing.
		this.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
			decoding.readVarUint(decoder);
			this.#refused(decoding.readVarString(decoder));
		};
		this.provider.on('status', ({ status }) => {
			if (status === 'connected') this.#unreachable = false;
			this.#updateStatus();
		});
		// A connection that closes before it was ever open: the server cannot be reached (browsers
		// do not always say they are offline, e.g. after a reload with no network).
		this.provider.on('connection-error', () => {
			if (!this.provider.wsconnected) this.#unreachable = true;
			this.#updateStatus();
		});
		this.provider.on('sync', () => this.#updateStatus());
		this.provider.on('connection-close', () => this.#updateStatus());
		this.provider.on('closed', ({ reason }) => {
			this.closedReason = reason || 'The server closed the connection.';
			this.#updateStatus();
		});
		addEventListener('online', this.#onNetwork);
		addEventListener('offline', this.#onNetwork);
		// Open from IndexedDB before touching the network, so history shows at once and offline.
		void this.loaded.then(() => {
			if (navigator.onLine) this.provider.connect();
			this.#updateStatus();
		});
	}

	/**
	 * Presence is sent under the document's client id (y-websocket encodes it by doc.clientID):
	 * when that id changes, presence moves to it, leaving the old one.
	 */
	#followClientId() {
		const awareness = this.provider.awareness;
		if (awareness.clientID === this.doc.clientID || this.period) return;
		const state = awareness.getLocalState();
		awareness.setLocalState(null);
		awareness.clientID = this.doc.clientID;
		awareness.setLocalState(state);
	}

	#onNetwork = () => {
		if (navigator.onLine) {
			this.#unreachable = false;
			this.provider.connect();
		}
		this.#updateStatus();
	};

	#refused(reason: string) {
		this.lastRefusal = reason;
		if (/sync first/.test(reason)) this.#sendMissing();
		// Over the server's rate limit: what was refused is still here and goes again when allowed.
		const wait = /try again in (\d+) s/.exec(reason);
		if (wait) {
			clearTimeout(this.#retry);
			this.#retry = setTimeout(() => this.#sendMissing(), Number(wait[1]) * 1000 + 250);
		}
		this.#emit();
	}

	/** Sends everything the server has not acknowledged yet. */
	#sendMissing() {
		if (!this.provider.wsconnected) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(this.doc, encodeVector(this.#serverState)));
		this.provider.ws?.send(encoding.toUint8Array(encoder));
	}

	#updateStatus() {
		const next: ConnectionStatus = this.closedReason
			? 'closed'
			: !navigator.onLine
			? 'offline'
			: !this.provider.wsconnected
				? this.provider.wsconnecting && !this.#unreachable
					? 'connecting'
					: 'offline'
				: this.provider.synced
					? 'synced'
					: 'syncing';
		if (next !== this.status) {
			this.status = next;
			this.#emit();
		}
	}

	/**
	 * Resolves once the document is as complete as it can be now: synced with the server, or known
	 * to be offline (or closed). What is on the device is then all there is to show.
	 */
	whenSettled(): Promise<void> {
		return this.#until(() => this.status === 'synced' || this.status === 'offline' || this.status === 'closed');
	}

	/** Resolves once the document is synced with the server (waits through being offline). */
	whenSynced(): Promise<void> {
		return this.#until(() => this.status === 'synced');
	}

	#until(done: () => boolean): Promise<void> {
		if (done()) return Promise.resolve();
		return new Promise((resolve) => {
			const stop = this.onChange(() => {
				if (!done()) return;
				stop();
				resolve();
			});
		});
	}

	/** Whether the server has stored the struct (client, clock) — i.e. a change is no longer pending. */
	serverHas(client: number, clock: number): boolean {
		return (this.#serverState.get(client) ?? 0) > clock;
	}

	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#emit() {
		for (const listener of this.#listeners) listener();
	}

	destroy() {
		clearTimeout(this.#retry);
		removeEventListener('online', this.#onNetwork);
		removeEventListener('offline', this.#onNetwork);
		this.provider.awareness.setLocalState(null);
		this.provider.destroy();
		void this.local.destroy();
		this.doc.destroy();
	}
}

function readState(key: string): Map<number, number> {
	try {
		return new Map(JSON.parse(localStorage.getItem(key) ?? '[]') as [number, number][]);
	} catch {
		return new Map();
	}
}

function encodeVector(state: Map<number, number>): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, state.size);
	for (const [client, clock] of state) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, clock);
	}
	return encoding.toUint8Array(encoder);
}
