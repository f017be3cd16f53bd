import { describe, expect, it } from 'vitest';
import { guardAwareness, type AwarenessContext, type AwarenessEntry } from './awareness-guard.ts';

const SERVER = 99;

const context = (over: Partial<AwarenessContext> = {}): AwarenessContext => ({
	userId: 'ann',
	bound: undefined,
	serverClient: SERVER,
	knownClock: () => undefined,
	clientOwner: () => undefined,
	heldByOther: () => false,
	callDevicesElsewhere: () => 0,
	maxStateBytes: 200,
	maxCallDevices: 2,
	...over
});

const entry = (client: number, state: unknown, clock = 1): AwarenessEntry => ({ client, clock, json: JSON.stringify(state) });

describe('guardAwareness', () => {
	it('binds a connection to the client of its first state and keeps states of it', () => {
		const verdict = guardAwareness([entry(1, {}), entry(1, { user: { id: 'ann' } }, 2)], context());
		expect(verdict).toEqual({ kept: [entry(1, {}), entry(1, { user: { id: 'ann' } }, 2)], bound: 1, refusals: [] });
	});

	it('allows one presence per connection, and lets a bound client leave (null)', () => {
		expect(guardAwareness([entry(1, {}), entry(2, {})], context()).refusals).toEqual(['one presence per connection']);
		expect(guardAwareness([entry(2, {})], context({ bound: 1 })).refusals).toEqual(['one presence per connection']);
		expect(guardAwareness([entry(1, null)], context({ bound: 1 })).kept).toEqual([entry(1, null)]);
		// A leave for a client this connection never spoke as is someone else's.
		expect(guardAwareness([entry(3, null)], context()).refusals).toEqual(['one presence per connection']);
		expect(guardAwareness([entry(3, null)], context()).bound).toBeUndefined();
	});

	it('skips echoes of states the room already has, quietly', () => {
		const verdict = guardAwareness([entry(7, { user: { id: 'bob' } }, 4)], context({ knownClock: (c) => (c === 7 ? 4 : undefined) }));
		expect(verdict).toEqual({ kept: [], bound: undefined, refusals: [] });
	});

	it('never lets anyone speak as the server, or describe someone else', () => {
		expect(guardAwareness([entry(SERVER, {})], context()).refusals).toEqual(['only the server speaks as the server']);
		expect(guardAwareness([entry(1, { server: { call: {} } })], context()).refusals).toEqual(['only the server speaks as the server']);
		expect(guardAwareness([entry(1, { user: { id: 'bob' } })], context()).refusals).toEqual(['presence may only describe yourself']);
		expect(guardAwareness([entry(1, { user: null })], context()).refusals).toEqual(['presence may only describe yourself']);
	});

	it('refuses clients that belong to another person, in the document or on another connection', () => {
		expect(guardAwareness([entry(1, {})], context({ clientOwner: () => 'bob' })).refusals).toEqual(['that presence belongs to someone else']);
		expect(guardAwareness([entry(1, {})], context({ heldByOther: () => true })).refusals).toEqual(['that presence belongs to someone else']);
		expect(guardAwareness([entry(1, {})], context({ clientOwner: () => 'ann' })).kept).toHaveLength(1);
	});

	it('refuses what is too large, not JSON, or not an object', () => {
		expect(guardAwareness([entry(1, { pad: 'x'.repeat(300) })], context()).refusals).toEqual(['presence is larger than 200 bytes']);
		expect(guardAwareness([{ client: 1, clock: 1, json: '{' }], context()).refusals).toEqual(['presence is not JSON']);
		expect(guardAwareness([entry(1, [1])], context()).refusals).toEqual(['presence must be an object']);
		expect(guardAwareness([entry(1, 'text')], context()).refusals).toEqual(['presence must be an object']);
	});

	it('holds a person to their number of devices in a call', () => {
		const call = { user: { id: 'ann' }, call: { peerId: 'p' } };
		expect(guardAwareness([entry(1, call)], context({ callDevicesElsewhere: () => 1 })).kept).toHaveLength(1);
		expect(guardAwareness([entry(1, call)], context({ callDevicesElsewhere: () => 2 })).refusals).toEqual([
			'you are already in this call on 2 devices; leave it on one of them first'
		]);
		// Out of the call, more devices are fine.
		expect(guardAwareness([entry(1, { user: { id: 'ann' } })], context({ callDevicesElsewhere: () => 2 })).kept).toHaveLength(1);
	});
});
