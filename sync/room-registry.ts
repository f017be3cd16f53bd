import type { SyncLimits } from '../src/lib/server/config.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { Metrics } from '../src/lib/server/metrics.ts';
import type { CallRouter } from '../sfu/call-router.ts';
import type { IndexedMessage } from './message-index.ts';
import { RoomSession, type SyncMetrics } from './room-session.ts';
import type { SyncStore } from './store.ts';

export type RoomRegistryOptions = {
	store: SyncStore;
	log: Logger;
	limits: SyncLimits;
	metrics: SyncMetrics & Pick<Metrics, 'roomsLoaded'>;
	/** How long a room document stays loaded after its last connection closes. */
	idleMs: number;
	/** Told who is in each room's call; says what the server tells each room about its call. */
	calls: Pick<CallRouter, 'update' | 'announcement' | 'onAnnounce'>;
	/** Someone joined a room's call (on any of their devices). */
	onCallJoin?: (roomId: string, userId: string) => void;
	/** New messages in a loaded room, in batches (see MessageIndex). */
	onActivity(room: RoomSession, added: IndexedMessage[]): void;
	/** Messages deleted in a room (their files can go). */
	onMessagesRemoved?: (roomId: string, keys: string[]) => void;
};

/**
 * The loaded rooms: a room's document is loaded on its first connection and unloaded (compacted
 * first) once it has had none for `idleMs`. Each loaded room is told what the server says about
 * its call, when it loads and on every announcement.
 */
export class RoomRegistry {
	readonly #options: RoomRegistryOptions;
	readonly #rooms = new Map<string, RoomSession>();
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
		room.presence.setServerState({ call: this.#options.calls.announcement(room.roomId) });
	}

	/** The loaded room, if it is. */
	get(roomId: string): RoomSession | undefined {
		return this.#rooms.get(roomId);
	}

	/** Loaded room ids, for tests and benchmarks. */
	loaded(): string[] {
		return [...this.#rooms.keys()];
	}

	/** The room, loaded if it was not, and kept loaded (a pending unload is cancelled): a connection is about to join. */
	open(roomId: string): RoomSession {
		clearTimeout(this.#idleTimers.get(roomId));
		this.#idleTimers.delete(roomId);
		return this.#rooms.get(roomId) ?? this.#load(roomId);
	}

	#load(roomId: string): RoomSession {
		const { store, log, limits, metrics, calls, onCallJoin, onActivity, onMessagesRemoved } = this.#options;
		const started = performance.now();
		const room: RoomSession = new RoomSession({
			roomId,
			store,
			log,
			limits,
			metrics,
			onActivity: (added) => onActivity(room, added),
			onMessagesRemoved,
			onCallJoin: (userId) => onCallJoin?.(roomId, userId),
			onCall: (members) => calls.update(roomId, members)
		});
		this.#tellCall(room);
		this.#rooms.set(roomId, room);
		metrics.roomsLoaded.inc();
		log.info('sync.room_loaded', { roomId, ms: Math.round(performance.now() - started) });
		return room;
	}

	/** How many connections this person has open to the room. */
	connections(roomId: string, userId: string): number {
		const room = this.#rooms.get(roomId);
		return room ? [...room.peers].filter((p) => p.userId === userId).length : 0;
	}

	/** A connection left (or never joined): with nobody left, the room unloads after `idleMs`. */
	release(roomId: string): void {
		const room = this.#rooms.get(roomId);
		if (!room || room.peers.size > 0) return;
		clearTimeout(this.#idleTimers.get(roomId));
		this.#idleTimers.set(
			roomId,
			setTimeout(() => {
				this.#idleTimers.delete(roomId);
				if (this.#rooms.get(roomId)?.peers.size === 0) this.unload(roomId);
			}, this.#options.idleMs).unref()
		);
	}

	/** Unloads a room now; `keep` false when the room itself is gone (nothing left to write). */
	unload(roomId: string, keep = true): void {
		const room = this.#rooms.get(roomId);
		if (!room) return;
		if (keep) room.compact();
		room.destroy(keep);
		this.#rooms.delete(roomId);
		this.#options.metrics.roomsLoaded.dec();
		this.#options.log.info('sync.room_unloaded', { roomId });
	}

	close(): void {
		this.#stopAnnouncing();
		for (const roomId of [...this.#rooms.keys()]) this.unload(roomId);
		for (const timer of this.#idleTimers.values()) clearTimeout(timer);
	}
}
