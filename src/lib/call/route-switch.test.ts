import { describe, expect, it } from 'vitest';
import type { ServerCall } from '../core/call/presence.ts';
import {
	dialling,
	initialRoute,
	prefersSfu,
	routeReducer,
	routeShown,
	SFU_RETRY_MS,
	SWITCH_TIMEOUT_MS,
	WAIT_FOR_SFU_MS,
	type RouteEffect,
	type RouteEvent,
	type RoutePeer,
	type RouteState
} from './route-switch.ts';

const mesh: ServerCall = { topology: 'mesh', janusRoom: null, sfu: true, limit: null };
const sfu = (room: number): ServerCall => ({ topology: 'sfu', janusRoom: room, sfu: true, limit: null });
/** Me ("p1") and others, each on the route given. */
const people = (...routes: ('mesh' | 'sfu')[]): RoutePeer[] => routes.map((route, i) => ({ peerId: `p${i + 1}`, route }));
const seen = (participants: RoutePeer[], server: ServerCall | null, now = 0): RouteEvent => ({ type: 'awareness', participants, server, now });
const decoded = (path: 'mesh' | 'sfu', peers: string[], now = 0): RouteEvent => ({ type: 'checked', path, arrived: new Set(peers), now });

/** Runs events from `state`; the effects are those of all the events. */
function run(state: RouteState, ...events: RouteEvent[]): { state: RouteState; effects: RouteEffect[] } {
	const effects: RouteEffect[] = [];
	for (const event of events) {
		const step = routeReducer(state, event);
		state = step.state;
		effects.push(...step.effects);
	}
	return { state, effects };
}
const types = (effects: RouteEffect[]) => effects.map((e) => e.type);

const start = initialRoute('p1');
/** Three on mesh, then the server moves the call to videoroom 7 and the SFU links come up at t=100. */
const switching = run(start, seen(people('mesh', 'mesh', 'mesh'), sfu(7)), { type: 'sfu-up', room: 7, now: 100 }).state;
const onSfu = run(switching, { type: 'tick' }, decoded('sfu', ['p2', 'p3'])).state;

describe('on mesh', () => {
	it('dials the others once in the call, and not before', () => {
		expect(types(run(start, seen(people('mesh', 'mesh'), mesh)).effects)).toEqual(['dial']);
		expect(run(start, seen([{ peerId: 'p2', route: 'mesh' }], mesh)).effects).toEqual([]);
		expect(routeShown(start)).toBe('mesh');
	});

	it('a joiner of a call the SFU is about to take waits for it (once), then dials', () => {
		const five = people('mesh', 'mesh', 'mesh', 'mesh', 'mesh');
		const waiting = run(start, seen(five, mesh, 1000));
		expect(waiting.effects).toEqual([{ type: 'revisit', after: WAIT_FOR_SFU_MS }]);
		expect(run(waiting.state, seen(five, mesh, 1000 + WAIT_FOR_SFU_MS - 1)).effects).toEqual([]);
		expect(run(waiting.state, seen(five, mesh, 1000 + WAIT_FOR_SFU_MS)).effects).toEqual([{ type: 'dial' }]);
		// Without an SFU on the server nobody waits.
		expect(types(run(start, seen(five, { ...mesh, sfu: false })).effects)).toEqual(['dial']);
	});

	it('starts the SFU links (once) when the server says so, and dials no more', () => {
		const told = run(start, seen(people('mesh', 'mesh'), sfu(7)));
		expect(told.effects).toEqual([{ type: 'start-sfu' }]);
		expect(run(told.state, seen(people('mesh', 'mesh'), sfu(7))).effects).toEqual([]);
		expect(routeShown(told.state)).toBe('mesh');
	});

	it('retries after the SFU failed to start, and at once if the server meanwhile announced another videoroom', () => {
		const told = run(start, seen(people('mesh', 'mesh'), sfu(7))).state;
		const failed = run(told, { type: 'sfu-failed', room: 7 });
		expect(failed.effects).toEqual([{ type: 'retry', after: SFU_RETRY_MS }]);
		expect(failed.state.starting).toBe(false);
		expect(run(told, { type: 'sfu-failed', room: 6 }).effects).toEqual([{ type: 'retry', after: SFU_RETRY_MS }, { type: 'retry', after: 0 }]);
		expect(run(told, { type: 'sfu-failed', room: 0 }).effects).toEqual([{ type: 'retry', after: SFU_RETRY_MS }]);
		expect(run(failed.state, seen(people('mesh', 'mesh'), sfu(7))).effects).toEqual([{ type: 'start-sfu' }]);
	});
});

describe('moving to the SFU', () => {
	it('keeps the mesh links and watches until everyone decodes on the SFU, then says so and closes them', () => {
		expect(switching.phase).toBe('to-sfu');
		expect(routeShown(switching)).toBe('switching');
		expect(switching.deadline).toBe(100 + SWITCH_TIMEOUT_MS);
		expect(run(start, seen(people('mesh', 'mesh', 'mesh'), sfu(7)), { type: 'sfu-up', room: 7, now: 100 }).effects).toEqual([{ type: 'start-sfu' }, { type: 'watch' }]);
		const checking = run(switching, { type: 'tick' });
		expect(checking.effects).toEqual([{ type: 'check', path: 'sfu' }]);
		expect(run(checking.state, { type: 'tick' }).effects).toEqual([]);
		const done = run(checking.state, decoded('sfu', ['p2', 'p3']));
		expect(done.state.phase).toBe('sfu');
		expect(routeShown(done.state)).toBe('sfu');
		expect(done.effects).toEqual([{ type: 'unwatch' }, { type: 'publish', route: 'sfu' }, { type: 'hang-up-all-but', keep: new Set(['p2', 'p3']) }]);
		// Each mesh link goes once its other end says it receives everyone from the SFU too.
		expect(run(done.state, seen(people('sfu', 'sfu', 'mesh'), sfu(7))).effects).toEqual([{ type: 'hang-up-all-but', keep: new Set(['p3']) }]);
	});

	it('shows the mesh links until the deadline, then what decodes on the SFU, still waiting for the rest', () => {
		const some = run(switching, { type: 'tick' }, decoded('sfu', ['p2'], 200)).state;
		expect(some.phase).toBe('to-sfu');
		expect(prefersSfu(some, 'p2')).toBe(false);
		const late = run(some, { type: 'tick' }, decoded('sfu', ['p2'], 100 + SWITCH_TIMEOUT_MS));
		expect(late.state.phase).toBe('sfu-overdue');
		expect(late.effects).toEqual([{ type: 'check', path: 'sfu' }]);
		expect(routeShown(late.state)).toBe('sfu');
		expect(dialling(late.state)).toBe(false);
		expect([prefersSfu(late.state, 'p2'), prefersSfu(late.state, 'p3')]).toEqual([true, false]);
		expect(run(late.state, { type: 'tick' }, decoded('sfu', ['p2', 'p3'])).state.phase).toBe('sfu');
	});

	it('ignores a check that failed, or whose path is no longer the one switched to', () => {
		const checking = run(switching, { type: 'tick' }).state;
		expect(run(checking, { type: 'check-failed' }).state).toEqual(switching);
		expect(run(checking, decoded('mesh', ['p2', 'p3'])).state.phase).toBe('to-sfu');
		const lost = run(checking, { type: 'sfu-lost' }, decoded('sfu', ['p2', 'p3'])).state;
		expect([lost.phase, lost.checking]).toEqual(['mesh', false]);
	});

	it('losing the SFU mid-switch leaves the call on its mesh links, and tries again', () => {
		const lost = run(switching, { type: 'sfu-lost' });
		expect(lost.state.phase).toBe('mesh');
		expect(lost.effects).toEqual([{ type: 'retry', after: SFU_RETRY_MS }, { type: 'unwatch' }]);
		expect(run(lost.state, seen(people('mesh', 'mesh', 'mesh'), sfu(7))).effects).toEqual([{ type: 'start-sfu' }]);
	});
});

describe('on the SFU', () => {
	it('after losing Janus, dials no mesh links and rejoins the videoroom the server announces', () => {
		const lost = run(onSfu, { type: 'sfu-lost' });
		expect(lost.state.phase).toBe('sfu-lost');
		expect(lost.effects).toEqual([{ type: 'retry', after: SFU_RETRY_MS }]);
		expect(routeShown(lost.state)).toBe('mesh');
		const renewed = run(lost.state, seen(people('sfu', 'sfu', 'sfu'), sfu(8)));
		expect(types(renewed.effects)).toEqual(['start-sfu', 'hang-up-all-but']);
		const back = run(renewed.state, { type: 'sfu-up', room: 8, now: 5000 });
		expect([back.state.phase, back.state.room]).toEqual(['sfu', 8]);
		expect(back.effects).toEqual([]);
	});

	it('lost while overdue, comes back still waiting for everyone', () => {
		const overdue = run(switching, { type: 'tick' }, decoded('sfu', ['p2'], 100 + SWITCH_TIMEOUT_MS)).state;
		const back = run(overdue, { type: 'sfu-lost' }, { type: 'sfu-up', room: 7, now: 20_000 }).state;
		expect(back.phase).toBe('sfu-overdue');
		expect(run(back, { type: 'tick' }).effects).toEqual([{ type: 'check', path: 'sfu' }]);
	});

	it('moves to a new videoroom while the old one still carries the call, and chases a room announced meanwhile', () => {
		const told = run(onSfu, seen(people('sfu', 'sfu', 'sfu'), sfu(8)));
		expect(types(told.effects)).toEqual(['start-sfu', 'hang-up-all-but']);
		expect(routeShown(told.state)).toBe('sfu');
		const again = run(told.state, seen(people('sfu', 'sfu', 'sfu'), sfu(9)), { type: 'sfu-up', room: 8, now: 0 });
		expect(again.state.phase).toBe('sfu');
		expect(again.effects.at(-1)).toEqual({ type: 'retry', after: 0 });
	});

	it('back to mesh when the server says so: dials while the SFU carries everyone, then leaves the SFU once everyone is back', () => {
		const told = run(onSfu, seen(people('sfu', 'sfu', 'sfu'), mesh, 1000));
		expect(told.state.phase).toBe('to-mesh');
		expect(routeShown(told.state)).toBe('switching');
		expect(told.effects).toEqual([{ type: 'watch' }, { type: 'dial' }]);
		const moved = run(told.state, { type: 'tick' }, decoded('mesh', ['p2', 'p3']));
		expect(moved.effects).toEqual([{ type: 'check', path: 'mesh' }, { type: 'unwatch' }, { type: 'publish', route: 'mesh' }]);
		expect(moved.state.phase).toBe('leaving-sfu');
		expect(routeShown(moved.state)).toBe('mesh');
		// Still publishing to the SFU for those not back yet.
		expect(types(run(moved.state, seen(people('mesh', 'sfu', 'mesh'), mesh)).effects)).toEqual(['dial']);
		const left = run(moved.state, seen(people('mesh', 'mesh', 'mesh'), mesh));
		expect(types(left.effects)).toEqual(['close-sfu', 'dial']);
		expect([left.state.phase, left.state.room]).toEqual(['mesh', null]);
	});

	it('a switch turns round when the server changes its mind', () => {
		const toMesh = run(onSfu, seen(people('sfu', 'sfu', 'sfu'), mesh)).state;
		expect(run(toMesh, seen(people('sfu', 'sfu', 'sfu'), sfu(7))).state.phase).toBe('to-sfu');
		expect(run(switching, seen(people('mesh', 'mesh', 'mesh'), mesh)).state.phase).toBe('to-mesh');
	});

	it('losing the SFU on the way back to mesh says it is on mesh, so nobody keeps publishing for it', () => {
		const toMesh = run(onSfu, seen(people('sfu', 'sfu', 'sfu'), mesh)).state;
		const lost = run(toMesh, { type: 'sfu-lost' });
		expect(lost.state.phase).toBe('mesh');
		expect(lost.effects).toEqual([{ type: 'retry', after: SFU_RETRY_MS }, { type: 'publish', route: 'mesh' }, { type: 'unwatch' }]);
	});

	it('with the SFU lost, follows the server back to mesh and dials', () => {
		const lost = run(onSfu, { type: 'sfu-lost' }).state;
		const told = run(lost, seen(people('sfu', 'sfu', 'sfu'), mesh));
		expect(told.state.phase).toBe('mesh');
		expect(types(told.effects)).toEqual(['dial']);
	});
});
