import { describe, expect, it } from 'vitest';
import { guardAwareness, type AwarenessContext, type AwarenessEntry } from './awareness-guard.ts';

const SERVER = 99;
const NOW = 1_800_000_000_000;

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
	canModerate: false,
	now: NOW,
	previousCall: () => undefined,
	takeReaction: () => true,
	reactionsPerMinute: 30,
	callRefusal: () => null,
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

	describe('hands and reactions in a call', () => {
		const ann = (call: Record<string, unknown>) => ({ user: { id: 'ann' }, call: { peerId: 'p', ...call } });

		it('keeps a hand raised now, and one raised before (on a later change of the same state)', () => {
			expect(guardAwareness([entry(1, ann({ hand: NOW - 1000 }))], context()).refusals).toEqual([]);
			expect(guardAwareness([entry(1, ann({ hand: null }))], context()).refusals).toEqual([]);
			// Raised an hour ago and still up: unchanged, so not held to the clock.
			const old = NOW - 3_600_000;
			expect(guardAwareness([entry(1, ann({ hand: old, audio: false }))], context({ previousCall: () => ({ peerId: 'p', hand: old }) })).refusals).toEqual([]);
		});

		it('refuses a hand that is not a time, or is new and far from the server’s clock (jumping the queue)', () => {
			for (const hand of [true, 'up', { userId: 'bob' }, -5, 1.5, Number.MAX_VALUE]) {
				expect(guardAwareness([entry(1, ann({ hand }))], context()).refusals).toEqual(['a raised hand is the time it was raised']);
			}
			expect(guardAwareness([entry(1, ann({ hand: NOW - 3_600_000 }))], context()).refusals).toEqual(['a hand may only be raised now']);
			expect(guardAwareness([entry(1, ann({ hand: NOW + 3_600_000 }))], context()).refusals).toEqual(['a hand may only be raised now']);
		});

		it('refuses a hand raised for someone else, in their name', () => {
			const forged = { user: { id: 'bob' }, call: { peerId: 'p2', hand: NOW } };
			expect(guardAwareness([entry(1, forged)], context()).refusals).toEqual(['presence may only describe yourself']);
			// Bob's client, held by Bob: Ann cannot write his hand into it.
			expect(guardAwareness([entry(2, ann({ hand: NOW }))], context({ heldByOther: (c) => c === 2 })).refusals).toEqual(['that presence belongs to someone else']);
		});

		it('lets only owners and admins ask others to lower their hands', () => {
			const request = ann({ lower: [{ userId: 'bob', hand: NOW - 5000 }] });
			expect(guardAwareness([entry(1, request)], context()).refusals).toEqual(['only owners and admins may lower someone else’s hand']);
			expect(guardAwareness([entry(1, request)], context({ canModerate: true })).refusals).toEqual([]);
			// Nothing asked of anyone is fine from anyone.
			expect(guardAwareness([entry(1, ann({ lower: [] }))], context()).refusals).toEqual([]);
			for (const lower of ['bob', [{ userId: 'bob' }], [{ userId: '', hand: NOW }], [{ userId: 'x'.repeat(101), hand: NOW }], Array.from({ length: 9 }, (_, i) => ({ userId: `u${i}`, hand: NOW }))]) {
				expect(guardAwareness([entry(1, ann({ lower }))], context({ canModerate: true })).refusals).toHaveLength(1);
			}
		});

		it('keeps a reaction from the list, and refuses any other emoji or shape', () => {
			expect(guardAwareness([entry(1, ann({ reaction: { emoji: '🎉', n: 1, at: NOW } }))], context()).refusals).toEqual([]);
			expect(guardAwareness([entry(1, ann({ reaction: { emoji: '💩', n: 1, at: NOW } }))], context()).refusals).toEqual(['a reaction is one of 👍 ❤️ 😂 🎉 👏 😮']);
			expect(guardAwareness([entry(1, ann({ reaction: { emoji: '<img src=x>', n: 1, at: NOW } }))], context()).refusals).toHaveLength(1);
			for (const reaction of ['🎉', { emoji: '🎉', n: -1, at: NOW }, { emoji: '🎉', n: 1 }, { emoji: '🎉', n: 1, at: NOW, text: 'hi' }, [1]]) {
				expect(guardAwareness([entry(1, ann({ reaction }))], context()).refusals).toHaveLength(1);
			}
			expect(guardAwareness([entry(1, ann({ reaction: { emoji: '🎉', n: 1, at: NOW - 3_600_000 } }))], context()).refusals).toEqual(['a reaction may only be sent now']);
		});

		it('spends the allowance on new reactions only, and refuses them over the rate', () => {
			let left = 2;
			const limited = context({ takeReaction: () => left-- > 0, reactionsPerMinute: 2 });
			const states = [1, 2, 3].map((n) => entry(1, ann({ reaction: { emoji: '👍', n, at: NOW } }), n));
			const verdict = guardAwareness(states, limited);
			expect(verdict.kept).toEqual(states.slice(0, 2));
			expect(verdict.refusals).toEqual(['reactions are limited to 2 a minute; wait a moment']);
			// The same reaction again (a mute, say) spends nothing.
			let spent = 0;
			const previousCall = () => ({ peerId: 'p', reaction: { emoji: '👍', n: 2, at: NOW } });
			expect(guardAwareness([entry(1, ann({ audio: false, reaction: { emoji: '👍', n: 2, at: NOW } }))], context({ previousCall, takeReaction: () => (spent++, false) })).refusals).toEqual([]);
			expect(spent).toBe(0);
		});
	});
});
