import * as prng from 'lib0/prng';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/lib/server/log.ts';
import type { ServerCall } from '../src/lib/core/call/presence.ts';
import { CallRouter, COALESCE_MS, MESH_HANDOVER_MS } from './call-router.ts';
import type { JanusRoom, SfuRooms } from './janus-rooms.ts';
import { MESH_AGAIN_AFTER_MS } from '../src/lib/core/call/topology.ts';

/** Rooms that take `delayMs` to create, like a Janus under load; records what exists. */
class SlowRooms implements SfuRooms {
	readonly live = new Set<number>();
	created = 0;
	failing = false;
	readonly delayMs: number;
	constructor(delayMs: number) {
		this.delayMs = delayMs;
	}
	async create(): Promise<JanusRoom> {
		await new Promise((r) => setTimeout(r, this.delayMs));
		if (this.failing) throw new Error('Janus is restarting');
		const room = { id: ++this.created, secret: 's' };
		this.live.add(room.id);
		return room;
	}
	async destroy(room: JanusRoom): Promise<void> {
		this.live.delete(room.id);
	}
}

/** `devices` devices in the call, of nobody in particular. */
const members = (devices: number) => ({ devices, users: new Set<string>() });

function setup(options: { delayMs?: number; available?: boolean } = {}) {
	const rooms = new SlowRooms(options.delayMs ?? 50);
	const told: ServerCall[] = [];
	const router = new CallRouter({ rooms, available: () => options.available ?? true, publishers: 100, log: createLogger('error') });
	router.onAnnounce((roomId) => told.push(router.announcement(roomId)));
	return { rooms, told, router };
}

describe('CallRouter', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('moves a call to a new videoroom with the fifth participant and tells the call once', async () => {
		const { rooms, told, router } = setup();
		for (let n = 1; n <= 4; n++) router.update('r', members(n));
		await vi.advanceTimersByTimeAsync(COALESCE_MS + 1);
		expect(told.at(-1)).toEqual({ topology: 'mesh', janusRoom: null, sfu: true, limit: null });
		router.update('r', members(5));
		await vi.advanceTimersByTimeAsync(COALESCE_MS + 100);
		expect(told.at(-1)).toEqual({ topology: 'sfu', janusRoom: 1, sfu: true, limit: null });
		expect(router.janusRoom('r')?.id).toBe(1);
		expect(rooms.live).toEqual(new Set([1]));
	});

	it('decides a burst of joins and leaves once, on the settled count', async () => {
		const { rooms, told, router } = setup();
		for (const n of [3, 4, 5, 6, 5, 4]) router.update('r', members(n));
		await vi.advanceTimersByTimeAsync(COALESCE_MS + 100);
		expect(told).toEqual([{ topology: 'mesh', janusRoom: null, sfu: true, limit: null }]);
		expect(rooms.created).toBe(0);
	});

	it('never splits a call under racing joins and leaves: one videoroom at most, every announcement agrees with the last decision', async () => {
		const random = prng.create(7);
		for (let round = 0; round < 20; round++) {
			const { rooms, told, router } = setup({ delayMs: prng.uint32(random, 0, 400) });
			let count = 0;
			for (let step = 0; step < 60; step++) {
				count = Math.max(0, Math.min(8, count + prng.int32(random, -2, 2)));
				router.update('r', members(count));
				await vi.advanceTimersByTimeAsync(prng.uint32(random, 0, 300));
				// While a videoroom is being made, at most one exists or is on its way.
				expect(rooms.live.size).toBeLessThanOrEqual(1);
			}
			await vi.advanceTimersByTimeAsync(MESH_AGAIN_AFTER_MS + MESH_HANDOVER_MS + 1000);
			const last = told.at(-1)!;
			expect(last.topology === 'sfu').toBe(last.janusRoom !== null);
			if (last.topology === 'sfu') expect(rooms.live).toEqual(new Set([last.janusRoom]));
			else expect(rooms.live.size).toBe(0);
			// Settled: five or more is SFU; three or fewer is mesh (30 s later).
			if (count >= 5) expect(last.topology).toBe('sfu');
			if (count <= 3) expect(last.topology).toBe('mesh');
			await router.close();
		}
	});

	it('goes back to mesh after 30 s at three or fewer, and removes the videoroom after the handover', async () => {
		const { rooms, told, router } = setup();
		router.update('r', members(5));
		await vi.advanceTimersByTimeAsync(COALESCE_MS + 100);
		router.update('r', members(3));
		await vi.advanceTimersByTimeAsync(MESH_AGAIN_AFTER_MS - 1000);
		expect(told.at(-1)?.topology).toBe('sfu');
		await vi.advanceTimersByTimeAsync(2000);
		expect(told.at(-1)).toMatchObject({ topology: 'mesh', janusRoom: null });
		expect(rooms.live.size).toBe(1);
		await vi.advanceTimersByTimeAsync(MESH_HANDOVER_MS);
		expect(rooms.live.size).toBe(0);
	});

	it('removes the videoroom at once when everyone has left', async () => {
		const { rooms, router } = setup();
		router.update('r', members(5));
		await vi.advanceTimersByTimeAsync(COALESCE_MS + 100);
		router.update('r', members(0));
		await vi.advanceTimersByTimeAsync(COALESCE_MS + 10);
		expect(rooms.live.size).toBe(0);
		expect(router.announcement('r')).toMatchObject({ topology: 'mesh' });
	});

	it('gives calls on the SFU a new videoroom when Janus restarts, and keeps a call mesh while Janus cannot make one', async () => {
		const { rooms, told, router } = setup();
		router.update('r', members(5));
		await vi.advanceTimersByTimeAsync(COALESCE_MS + 100);
		rooms.live.clear();
		router.sfuRestarted();
		await vi.advanceTimersByTimeAsync(100);
		expect(told.at(-1)).toMatchObject({ topology: 'sfu', janusRoom: 2 });

		const other = setup();
		other.rooms.failing = true;
		other.router.update('r', members(5));
		await vi.advanceTimersByTimeAsync(COALESCE_MS + 100);
		expect(other.told.at(-1)).toMatchObject({ topology: 'mesh', janusRoom: null });
	});

	it('without an SFU, stays mesh and announces the limit of six', async () => {
		const { told, router } = setup({ available: false });
		router.update('r', members(6));
		await vi.advanceTimersByTimeAsync(COALESCE_MS + 1);
		expect(told.at(-1)).toEqual({ topology: 'mesh', janusRoom: null, sfu: false, limit: 6 });
	});

	it('admits a sixth person without an SFU and refuses a seventh; with an SFU, admits everyone', () => {
		const { router } = setup({ available: false });
		router.update('r', members(5));
		expect(() => router.admit('r')).not.toThrow();
		router.update('r', members(6));
		expect(() => router.admit('r')).toThrow(expect.objectContaining({ status: 409, message: expect.stringMatching(/at most 6 people/) }));
		expect(() => router.admit('other')).not.toThrow();
		const withSfu = setup();
		withSfu.router.update('r', members(20));
		expect(() => withSfu.router.admit('r')).not.toThrow();
	});

	it('knows who is in each call, and waits for someone to arrive', async () => {
		const { router } = setup();
		router.update('r', { devices: 2, users: new Set(['ann']) });
		expect([...router.usersInCall('r')]).toEqual(['ann']);
		expect(router.callSize('r')).toBe(2);
		expect(router.usersInCall('other').size).toBe(0);
		const bob = router.whenInCall('r', 'bob', 1000);
		const late = router.whenInCall('r', 'cat', 1000);
		await vi.advanceTimersByTimeAsync(100);
		router.update('r', { devices: 3, users: new Set(['ann', 'bob']) });
		await vi.advanceTimersByTimeAsync(1100);
		expect(await bob).toBe(true);
		expect(await late).toBe(false);
	});
});
