import type { ServerCall } from '../src/lib/core/call/presence.ts';
import { ApiFailure } from '../src/lib/server/api-failure.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { JanusRoom, SfuRooms } from './janus-rooms.ts';
import { decideTopology, MESH_AGAIN_AFTER_MS, MESH_ONLY_LIMIT, type Topology } from '../src/lib/core/call/topology.ts';

/** Changes arriving within this window are decided together, on the settled count. */
export const COALESCE_MS = 150;
/** After moving back to mesh, the videoroom stays this long so clients can make their mesh links first. */
export const MESH_HANDOVER_MS = 15_000;

/** Who the server counts in a room's call (from its awareness): the people, and their devices. */
export type CallMembers = { devices: number; users: ReadonlySet<string> };

type CallEntry = {
	count: number;
	users: ReadonlySet<string>;
	topology: Topology;
	room: JanusRoom | null;
	/** Decisions for one call run one after another, never interleaved with a room being created. */
	chain: Promise<void>;
	coalesce: ReturnType<typeof setTimeout> | undefined;
	later: ReturnType<typeof setTimeout> | undefined;
};

/**
 * The server's one home for call policy. Fed call membership from the rooms' awareness, it knows
 * who is in each call, admits newcomers (`decideTopology`'s `admit`), coalesces bursts of joins and
 * leaves, decides the topology, creates or destroys the call's videoroom, and announces the outcome
 * to whoever listens (the sync service tells the room). A call is never split: everyone gets the
 * same announcement from the same place.
 */
export class CallRouter {
	readonly #rooms: SfuRooms | null;
	readonly #available: () => boolean;
	readonly #publishers: number;
	readonly #log: Logger;
	readonly #calls = new Map<string, CallEntry>();
	readonly #listeners = new Set<(roomId: string) => void>();
	#closed = false;

	constructor(options: { rooms: SfuRooms | null; available: () => boolean; publishers: number; log: Logger }) {
		this.#rooms = options.rooms;
		this.#available = options.available;
		this.#publishers = options.publishers;
		this.#log = options.log;
	}

	/** Calls `listener` with the room whenever what its call is told (`announcement`) may have changed; returns the function that stops it. */
	onAnnounce(listener: (roomId: string) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#announce(roomId: string): void {
		for (const listener of this.#listeners) listener(roomId);
	}

	/** What the call in `roomId` is told right now. */
	announcement(roomId: string): ServerCall {
		const call = this.#calls.get(roomId);
		const sfu = this.#available();
		return {
			topology: call?.topology.mode ?? 'mesh',
			janusRoom: call?.topology.mode === 'sfu' ? (call.room?.id ?? null) : null,
			sfu,
			limit: sfu ? null : MESH_ONLY_LIMIT
		};
	}

	/** The videoroom of a call on the SFU, if any: for join tokens. */
	janusRoom(roomId: string): JanusRoom | null {
		const call = this.#calls.get(roomId);
		return call?.topology.mode === 'sfu' ? call.room : null;
	}

	/** People the server counts in the room's call. */
	usersInCall(roomId: string): ReadonlySet<string> {
		return this.#calls.get(roomId)?.users ?? new Set();
	}

	/** Devices in the room's call. */
	callSize(roomId: string): number {
		return this.#calls.get(roomId)?.count ?? 0;
	}

	/** Calls with someone in them, by topology (for /metrics). */
	callsByTopology(): Record<Topology['mode'], number> {
		const counts = { mesh: 0, sfu: 0 };
		for (const call of this.#calls.values()) if (call.count > 0) counts[call.topology.mode] += 1;
		return counts;
	}

	/** Resolves true once the person is in the room's call, false after `timeoutMs` (their presence may arrive just after a request). */
	async whenInCall(roomId: string, userId: string, timeoutMs: number): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		while (!this.usersInCall(roomId).has(userId)) {
			if (Date.now() > deadline) return false;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return true;
	}

	/** Refuses (409) one more person the call cannot take: without an SFU, mesh calls stop at MESH_ONLY_LIMIT. */
	admit(roomId: string): void {
		const call = this.#calls.get(roomId);
		const decision = decideTopology(call?.topology ?? { mode: 'mesh' }, (call?.count ?? 0) + 1, Date.now(), this.#available());
		if (!decision.admit) throw new ApiFailure(409, `This call is full: without an SFU on this server, calls can have at most ${MESH_ONLY_LIMIT} people.`);
	}

	/** Call membership changed; a new device count is decided again (after coalescing). */
	update(roomId: string, members: CallMembers): void {
		if (this.#closed) return;
		const { devices: count, users } = members;
		let call = this.#calls.get(roomId);
		if (call) {
			call.users = users;
			if (call.count === count) return;
			call.count = count;
		} else {
			if (count === 0) return;
			call = { count, users, topology: { mode: 'mesh' }, room: null, chain: Promise.resolve(), coalesce: undefined, later: undefined };
			this.#calls.set(roomId, call);
		}
		clearTimeout(call.coalesce);
		call.coalesce = setTimeout(() => this.#queue(roomId), COALESCE_MS);
	}

	/** Janus (re)started: calls on the SFU get a new videoroom (the old one is gone); large calls left on mesh move now. */
	sfuRestarted(): void {
		for (const [roomId, call] of this.#calls) {
			if (call.topology.mode !== 'sfu') {
				this.#queue(roomId);
				continue;
			}
			call.chain = call.chain.then(async () => {
				if (call.topology.mode !== 'sfu' || this.#closed) return;
				call.room = await this.#create();
				if (!call.room) call.topology = { mode: 'mesh' };
				this.#log.info('call.sfu_room_renewed', { roomId, room: call.room?.id });
				this.#announce(roomId);
			});
		}
	}

	#queue(roomId: string): void {
		const call = this.#calls.get(roomId);
		if (!call) return;
		call.chain = call.chain.then(() => this.#decide(roomId, call)).catch((error) => this.#log.error('call.decide_failed', { roomId, error }));
	}

	async #decide(roomId: string, call: CallEntry): Promise<void> {
		if (this.#closed) return;
		const now = Date.now();
		const decision = decideTopology(call.topology, call.count, now, this.#available());
		clearTimeout(call.later);
		if (decision.changed && decision.topology.mode === 'sfu') {
			call.room = await this.#create();
			// No videoroom (Janus just died): the call stays mesh and is decided again when Janus is back.
			call.topology = call.room ? decision.topology : { mode: 'mesh' };
		} else {
			const before = call.topology;
			call.topology = decision.topology;
			if (before.mode === 'sfu' && decision.topology.mode === 'mesh') {
				const old = call.room;
				call.room = null;
				if (old) setTimeout(() => void this.#rooms?.destroy(old), call.count === 0 ? 0 : MESH_HANDOVER_MS).unref?.();
			}
		}
		if (decision.changed) this.#log.info('call.topology', { roomId, topology: call.topology.mode, participants: call.count, room: call.room?.id });
		this.#announce(roomId);
		if (call.topology.mode === 'sfu' && call.topology.lowSince !== null) {
			// Small again: look again once it has been small long enough to go back to mesh.
			call.later = setTimeout(() => this.#queue(roomId), call.topology.lowSince + MESH_AGAIN_AFTER_MS - now);
			call.later.unref?.();
		}
		if (call.count === 0 && call.topology.mode === 'mesh' && this.#calls.get(roomId) === call) this.#calls.delete(roomId);
	}

	async #create(): Promise<JanusRoom | null> {
		try {
			return this.#rooms ? await this.#rooms.create(this.#publishers) : null;
		} catch (error) {
			this.#log.error('call.sfu_room_failed', { error });
			return null;
		}
	}

	async close(): Promise<void> {
		this.#closed = true;
		const rooms: JanusRoom[] = [];
		for (const call of this.#calls.values()) {
			clearTimeout(call.coalesce);
			clearTimeout(call.later);
			if (call.room) rooms.push(call.room);
		}
		this.#calls.clear();
		this.#listeners.clear();
		await Promise.all(rooms.map((room) => this.#rooms?.destroy(room)));
	}
}
