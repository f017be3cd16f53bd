import type { ServerModeration } from '../src/lib/core/call/moderation.ts';
import type { SyncLimits } from '../src/lib/server/config.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { Metrics } from '../src/lib/server/metrics.ts';
import type { CallRouter } from '../sfu/call-router.ts';
import type { IndexedMessage } from './message-index.ts';
import { RoomSession, type SyncMetrics } from './room-session.ts';
import { documentName, type HistoryMode, type Period } from '../src/lib/core/chat/period.ts';
import { WriteLimits } from './write-limits.ts';
import type { SyncStore } from './store.ts';
import type { Compactor } from './compactor.ts';

export type RoomRegistryOptions = {
	store: SyncStore;
	log: Logger;
	limits: SyncLimits;
	metrics: SyncMetrics & Pick<Metrics, 'roomsLoaded'>;
	/** How long a room document stays loaded after its last connection closes. */
	idleMs: number;
	/** Told who is in each room's call; says what the server tells each room about its call. */
	calls: Pick<CallRouter, 'update' | 'announcement' | 'onAnnounce'> & { moderated?: (roomId: string, moderation: ServerModeration) => void };
	/** Someone joined a room's call (on any of their devices). */
	onCallJoin?: (roomId: string, userId: string) => void;
	/** New messages in a loaded room, in batches (see MessageIndex). */
	onActivity(room: RoomSession, added: IndexedMessage[]): void;
	/** Messages deleted in a room (their files can go). */
	onMessagesRemoved?: (roomId: string, keys: string[]) => void;
	/** Compacts documents off the event loop (see RoomSession.compact). */
	compactor?: Compactor;
};

/**
 * The loaded documents of rooms, by name (period.ts): a document is loaded on its first connection
 * and unloaded (compacted first) once it has had none for `idleMs`. A room's main document is told
 * what the server says about its call, when it loads and on every announcement. What a person may
 * write is counted per room, across its documents.
 */
export class RoomRegistry {
	readonly #options: RoomRegistryOptions;
	readonly #rooms = new Map<string, RoomSession>();
	readonly #writes = new Map<string, WriteLimits>();
	readonly #idleTimers = new Map<string, NodeJS.Timeout>();
	readonly #stopAnnouncing: () => void;

	constructor(options: RoomRegistryOptions) {
		this.#options = options;
		this.#stopAnnouncing = options.calls.onAnnounce((roomId) => {
			const room = this.#rooms.get(roomId);
			if (room) this.#tellCall(room);
		});
	}

	/** What the server says about a room's call goes to everyone in the room, on its awareness. */
	#tellCall(room: RoomSession): void {
		room.presence?.setServerState({ call: this.#options.calls.announcement(room.roomId) });
	}

	/** The loaded document, by name (a room's main document by the room id), if it is. */
	get(name: string): RoomSession | undefined {
		return this.#rooms.get(name);
	}

	/** The loaded documents of a room. */
	sessionsOf(roomId: string): RoomSession[] {
		return [...this.#rooms.values()].filter((room) => room.roomId === roomId);
	}

	/** People with any of the room's documents open right now. */
	usersPresent(roomId: string): Set<string> {
		return new Set(this.sessionsOf(roomId).flatMap((room) => [...room.peers].map((p) => p.userId)));
	}

	/** Loaded document names, for tests and benchmarks. */
	loaded(): string[] {
		return [...this.#rooms.keys()];
	}

	/** The document, loaded if it was not, and kept loaded (a pending unload is cancelled): a connection is about to join. */
	open(roomId: string, period: Period | '' = '', history: HistoryMode = 'single'): RoomSession {
		const name = documentName(roomId, period || undefined);
		clearTimeout(this.#idleTimers.get(name));
		this.#idleTimers.delete(name);
		return this.#rooms.get(name) ?? this.#load(roomId, period, history);
	}

	#load(roomId: string, period: Period | '', history: HistoryMode): RoomSession {
		const { store, log, limits, metrics, calls, onCallJoin, onActivity, onMessagesRemoved, compactor } = this.#options;
		const started = performance.now();
		let writes = this.#writes.get(roomId);
		if (!writes) {
			writes = new WriteLimits(roomId, store, limits);
			this.#writes.set(roomId, writes);
		}
		const room: RoomSession = new RoomSession({
			roomId,
			period,
			history,
			writes,
			store,
			log,
			limits,
			metrics,
			onActivity: (added) => onActivity(room, added),
			onMessagesRemoved,
			compactor,
			onCallJoin: (userId) => onCallJoin?.(roomId, userId),
			onCall: (members) => calls.update(roomId, members),
			onModeration: (moderation) => calls.moderated?.(roomId, moderation)
		});
		this.#tellCall(room);
		this.#rooms.set(room.name, room);
		metrics.roomsLoaded.inc();
		log.info('sync.room_loaded', { roomId, period, ms: Math.round(performance.now() - started) });
		return room;
	}

	/** How many connections this person has open to the document. */
	connections(name: string, userId: string): number {
		const room = this.#rooms.get(name);
		return room ? [...room.peers].filter((p) => p.userId === userId).length : 0;
	}

	/** A connection left (or never joined): with nobody left, the document unloads after `idleMs`. */
	release(name: string): void {
		const room = this.#rooms.get(name);
		if (!room || room.peers.size > 0) return;
		clearTimeout(this.#idleTimers.get(name));
		this.#idleTimers.set(
			name,
			setTimeout(() => {
				this.#idleTimers.delete(name);
				if (this.#rooms.get(name)?.peers.size === 0) this.unload(name);
			}, this.#options.idleMs).unref()
		);
	}

	/** Unloads a document now; `keep` false when the room itself is gone (nothing left to write); `now`: compact here, at once. */
	unload(name: string, keep = true, now = false): void {
		const room = this.#rooms.get(name);
		if (!room) return;
		if (keep) room.compact({ now });
		room.destroy(keep);
		this.#rooms.delete(name);
		if (!this.sessionsOf(room.roomId).length) this.#writes.delete(room.roomId);
		this.#options.metrics.roomsLoaded.dec();
		this.#options.log.info('sync.room_unloaded', { roomId: room.roomId, period: room.period });
	}

	/** Unloads every document of a room now. */
	unloadRoom(roomId: string, keep = true): void {
		for (const room of this.sessionsOf(roomId)) this.unload(room.name, keep);
	}

	close(): void {
		this.#stopAnnouncing();
		// At shutdown each document compacts on the spot: the compactor's thread stops with the server.
		for (const name of [...this.#rooms.keys()]) this.unload(name, true, true);
		for (const timer of this.#idleTimers.values()) clearTimeout(timer);
	}
}
