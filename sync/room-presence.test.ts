import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MESSAGE_AUTH } from '../src/lib/core/chat/protocol.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { parseConfig } from '../src/lib/server/config.ts';
import type { CallMembers } from '../sfu/call-router.ts';
import { readClientMessage } from './protocol.ts';
import { RoomPresence, type PresencePeer } from './room-presence.ts';

function setup(env: Record<string, string> = {}) {
	const calls: CallMembers[] = [];
	const joined: string[] = [];
	const presence = new RoomPresence({
		roomId: 'r',
		log: createLogger('error'),
		limits: parseConfig(env).sync,
		clientOwner: () => undefined,
		onCallJoin: (userId) => joined.push(userId),
		onCall: (members) => calls.push(members)
	});
	const peer = (userId: string, role: PresencePeer['role'] = 'member') => {
		const received: Uint8Array[] = [];
		const p: PresencePeer & { received: Uint8Array[] } = { userId, role, received, send: (m) => received.push(m) };
		presence.join(p);
		return p;
	};
	return { presence, calls, joined, peer };
}

/** What the server told a connection it refused (MESSAGE_AUTH frames). */
const refusals = (peer: { received: Uint8Array[] }) =>
	peer.received.flatMap((m) => {
		const decoder = decoding.createDecoder(m);
		if (decoding.readVarUint(decoder) !== MESSAGE_AUTH) return [];
		decoding.readVarUint(decoder);
		return [decoding.readVarString(decoder)];
	});

const state = (client: number, clock: number, value: unknown) => [{ client, clock, json: JSON.stringify(value) }];

describe('RoomPresence', () => {
	it('counts who is in the call from each connection’s presence, and tells of a join once', () => {
		const { presence, calls, joined, peer } = setup();
		const ann = peer('ann');
		const bob = peer('bob');
		presence.receive(ann, state(1, 1, { user: { id: 'ann' }, call: { peerId: 'p1' } }));
		expect(calls).toEqual([{ devices: 1, users: new Set(['ann']) }]);
		// Muting is not joining again, and changes nobody's count.
		presence.receive(ann, state(1, 2, { user: { id: 'ann' }, call: { peerId: 'p1', audio: false } }));
		// A call field with no peer id is not being in the call, for the server as for the browser (presence.ts).
		presence.receive(bob, state(2, 1, { user: { id: 'bob' }, call: { audio: true } }));
		expect(joined).toEqual(['ann']);
		expect(calls).toHaveLength(1);
		// Bob sees Ann's presence, relayed as the room's awareness.
		expect(bob.received.map((m) => readClientMessage(m).type)).toContain('awareness');
		presence.leave(ann);
		expect(calls.at(-1)).toEqual({ devices: 0, users: new Set() });
		presence.destroy();
	});

	it('gives a new connection everyone’s presence, the server’s included', () => {
		const { presence, peer } = setup();
		presence.setServerState({ call: { topology: 'mesh' } });
		const late = peer('cat');
		const first = readClientMessage(late.received[0]);
		expect(first.type === 'awareness' && first.entries.map((e) => JSON.parse(e.json))).toEqual([{ server: { call: { topology: 'mesh' } } }]);
		presence.destroy();
	});

	describe('a client id one connection speaks as, claimed on another', () => {
		afterEach(() => vi.useRealTimers());
		const ann = (extra: Record<string, unknown>) => ({ user: { id: 'ann' }, ...extra });

		it('moves to the same person’s newer connection (a reloaded page): the old one’s held-back states and close leave it alone', () => {
			vi.useFakeTimers();
			const { presence, peer } = setup({ AWARENESS_UPDATES_PER_MINUTE: '2' });
			const old = peer('ann');
			presence.receive(old, state(7, 1, ann({ page: 'old' })));
			presence.receive(old, state(7, 2, ann({ page: 'old' })));
			// Over its allowance: held back until the allowance lets it through.
			presence.receive(old, state(7, 9, ann({ page: 'old, late' })));
			const reloaded = peer('ann');
			presence.receive(reloaded, state(7, 5, ann({ page: 'reloaded' })));
			expect(presence.awareness.getStates().get(7)).toEqual(ann({ page: 'reloaded' }));
			vi.advanceTimersByTime(60_000);
			expect(presence.awareness.getStates().get(7)).toEqual(ann({ page: 'reloaded' }));
			const removed: number[] = [];
			presence.awareness.on('update', (change: { removed: number[] }) => removed.push(...change.removed));
			presence.leave(old);
			expect(presence.awareness.getStates().get(7)).toEqual(ann({ page: 'reloaded' }));
			expect(removed).toEqual([]);
			// The presence now goes with the newer connection.
			presence.leave(reloaded);
			expect(presence.awareness.getStates().has(7)).toBe(false);
			presence.destroy();
		});

		it('is refused to someone else, and stays with the person who has it', () => {
			const { presence, peer } = setup();
			const owner = peer('ann');
			presence.receive(owner, state(7, 1, ann({ page: 'ann' })));
			const other = peer('bob');
			presence.receive(other, state(7, 50, { user: { id: 'bob' } }));
			presence.receive(other, state(7, 51, {}));
			expect(refusals(other)).toEqual(['presence refused: that presence belongs to someone else', 'presence refused: that presence belongs to someone else']);
			expect(presence.awareness.getStates().get(7)).toEqual(ann({ page: 'ann' }));
			presence.leave(other);
			expect(presence.awareness.getStates().get(7)).toEqual(ann({ page: 'ann' }));
			presence.destroy();
		});
	});

	describe('hands and reactions', () => {
		const inCall = (user: string, call: Record<string, unknown>) => ({ user: { id: user }, call: { peerId: `p-${user}`, ...call } });

		it('relays a moderator’s request to lower a hand, and refuses it from a member, by the room’s roles', () => {
			const { presence, peer } = setup();
			const bob = peer('bob');
			const raised = Date.now();
			presence.receive(bob, state(2, 1, inCall('bob', { hand: raised })));
			const cat = peer('cat');
			presence.receive(cat, state(3, 1, inCall('cat', { lower: [{ userId: 'bob', hand: raised }] })));
			expect(refusals(cat)).toEqual(['presence refused: only owners and admins may lower someone else’s hand']);
			expect(presence.awareness.getStates().has(3)).toBe(false);
			const ann = peer('ann', 'admin');
			presence.receive(ann, state(1, 1, inCall('ann', { lower: [{ userId: 'bob', hand: raised }] })));
			expect(refusals(ann)).toEqual([]);
			expect(presence.awareness.getStates().get(1)).toEqual(inCall('ann', { lower: [{ userId: 'bob', hand: raised }] }));
			presence.destroy();
		});

		it('holds each connection to CALL_REACTIONS_PER_MINUTE reactions', () => {
			const { presence, peer } = setup({ CALL_REACTIONS_PER_MINUTE: '2' });
			const ann = peer('ann');
			for (let n = 1; n <= 3; n++) presence.receive(ann, state(1, n, inCall('ann', { reaction: { emoji: '👏', n, at: Date.now() } })));
			expect(refusals(ann)).toEqual(['presence refused: reactions are limited to 2 a minute; wait a moment']);
			expect((presence.awareness.getStates().get(1) as { call: { reaction: { n: number } } }).call.reaction.n).toBe(2);
			// Someone else's allowance is their own.
			const bob = peer('bob');
			presence.receive(bob, state(2, 1, inCall('bob', { reaction: { emoji: '👏', n: 1, at: Date.now() } })));
			expect(refusals(bob)).toEqual([]);
			presence.destroy();
		});
	});

	describe('moderation', () => {
		const call = (peerId: string, extra: Record<string, unknown> = {}) => ({ peerId, ...extra });
		const moderationOf = (presence: RoomPresence) =>
			(presence.awareness.getLocalState() as { server?: { moderation?: unknown } } | null)?.server?.moderation;

		it('refuses a member’s mute, ask to unmute, removal and lock; relays an owner’s', () => {
			const { presence, peer } = setup();
			const ann = peer('ann', 'owner');
			const bob = peer('bob');
			presence.receive(bob, state(2, 1, { user: { id: 'bob' }, call: call('pb') }));
			for (const [clock, extra] of [
				[2, { mute: [{ peerId: 'pa', unmutes: 0 }] }],
				[3, { askUnmute: [{ peerId: 'pa', at: Date.now() }] }],
				[4, { remove: ['ann'] }],
				[5, { lock: { on: true, n: 1 } }],
				[6, { end: 1 }]
			] as const) {
				presence.receive(bob, state(2, clock, { user: { id: 'bob' }, call: call('pb', extra) }));
			}
			expect(refusals(bob)).toEqual(Array(5).fill('presence refused: only owners and admins may mute, remove, lock or end the call'));
			expect(presence.lock).toBeNull();
			presence.receive(ann, state(1, 1, { user: { id: 'ann' }, call: call('pa', { mute: [{ peerId: 'pb', unmutes: 0 }] }) }));
			expect(refusals(ann)).toEqual([]);
			expect((presence.awareness.getStates().get(1) as { call: { mute: unknown } }).call.mute).toEqual([{ peerId: 'pb', unmutes: 0 }]);
			presence.destroy();
		});

		it('takes a removed person’s call state away and refuses it again until CALL_REMOVAL_MINUTES pass', () => {
			vi.useFakeTimers();
			const { presence, peer } = setup({ CALL_REMOVAL_MINUTES: '10' });
			const ann = peer('ann', 'admin');
			const cat = peer('cat');
			presence.receive(ann, state(1, 1, { user: { id: 'ann' }, call: call('pa') }));
			presence.receive(cat, state(3, 1, { user: { id: 'cat' }, call: call('pc') }));
			presence.receive(ann, state(1, 2, { user: { id: 'ann' }, call: call('pa', { remove: ['cat'] }) }));
			expect(presence.awareness.getStates().has(3)).toBe(false);
			expect(moderationOf(presence)).toEqual({ lock: null, removed: [{ userId: 'cat', by: 'ann', until: Date.now() + 600_000 }] });
			presence.receive(cat, state(3, 3, { user: { id: 'cat' }, call: call('pc') }));
			expect(refusals(cat)).toEqual(['presence refused: you were removed from this call']);
			expect(presence.awareness.getStates().has(3)).toBe(false);
			// Out of the call, Cat is still in the room.
			presence.receive(cat, state(3, 4, { user: { id: 'cat' }, call: null }));
			expect(presence.awareness.getStates().get(3)).toEqual({ user: { id: 'cat' }, call: null });
			vi.advanceTimersByTime(600_001);
			presence.receive(cat, state(3, 5, { user: { id: 'cat' }, call: call('pc') }));
			expect(refusals(cat)).toHaveLength(1);
			expect(presence.awareness.getStates().get(3)).toMatchObject({ call: { peerId: 'pc' } });
			presence.destroy();
			vi.useRealTimers();
		});

		it('an owner ends the call for everyone: every other device leaves it, told why, and is kept out for a moment', () => {
			vi.useFakeTimers();
			const { presence, peer } = setup();
			const ann = peer('ann', 'owner');
			const bob = peer('bob');
			const cat = peer('cat');
			const annTablet = peer('ann', 'owner');
			presence.receive(ann, state(1, 1, { user: { id: 'ann' }, call: call('pa') }));
			presence.receive(bob, state(2, 1, { user: { id: 'bob' }, call: call('pb') }));
			presence.receive(cat, state(3, 1, { user: { id: 'cat' }, call: null }));
			presence.receive(annTablet, state(4, 1, { user: { id: 'ann' }, call: call('pa2') }));
			presence.receive(ann, state(1, 2, { user: { id: 'ann' }, call: call('pa', { end: 1 }) }));
			// Bob is out of the call; Cat was not in it; Ann's own devices are hers to leave.
			expect(presence.awareness.getStates().has(2)).toBe(false);
			expect(presence.awareness.getStates().get(3)).toEqual({ user: { id: 'cat' }, call: null });
			expect(presence.awareness.getStates().get(4)).toMatchObject({ call: { peerId: 'pa2' } });
			expect(moderationOf(presence)).toEqual({ lock: null, removed: [{ userId: 'bob', by: 'ann', until: Date.now() + 10_000, ended: true }] });
			presence.receive(bob, state(2, 2, { user: { id: 'bob' }, call: call('pb') }));
			expect(refusals(bob)).toEqual(['presence refused: you were removed from this call']);
			// The same request again ends nothing more; a new call can start a moment later.
			presence.receive(ann, state(1, 3, { user: { id: 'ann' }, call: call('pa', { end: 1, audio: false }) }));
			vi.advanceTimersByTime(10_001);
			presence.receive(bob, state(2, 3, { user: { id: 'bob' }, call: call('pb') }));
			expect(presence.awareness.getStates().get(2)).toMatchObject({ call: { peerId: 'pb' } });
			presence.destroy();
			vi.useRealTimers();
		});

		it('a locked call refuses a member who was not in it, keeps those who were, and unlocks; the lock ends with the call', async () => {
			const { presence, peer } = setup();
			const ann = peer('ann', 'owner');
			const bob = peer('bob');
			const dan = peer('dan');
			presence.receive(ann, state(1, 1, { user: { id: 'ann' }, call: call('pa') }));
			presence.receive(bob, state(2, 1, { user: { id: 'bob' }, call: call('pb') }));
			presence.receive(ann, state(1, 2, { user: { id: 'ann' }, call: call('pa', { lock: { on: true, n: 1 } }) }));
			expect(presence.lock).toEqual({ by: 'ann' });
			expect(moderationOf(presence)).toEqual({ lock: { by: 'ann' }, removed: [] });
			// Bob, already in, may still change his state (mute himself).
			presence.receive(bob, state(2, 2, { user: { id: 'bob' }, call: call('pb', { audio: false }) }));
			expect(refusals(bob)).toEqual([]);
			// Dan, in the room but not the call, is refused the call, not the room.
			presence.receive(dan, state(4, 1, { user: { id: 'dan' }, call: null }));
			presence.receive(dan, state(4, 2, { user: { id: 'dan' }, call: call('pd') }));
			expect(refusals(dan)).toEqual(['presence refused: this call is locked']);
			expect(presence.awareness.getStates().get(4)).toEqual({ user: { id: 'dan' }, call: null });
			presence.receive(ann, state(1, 3, { user: { id: 'ann' }, call: call('pa', { lock: { on: false, n: 2 } }) }));
			expect(presence.lock).toBeNull();
			presence.receive(dan, state(4, 3, { user: { id: 'dan' }, call: call('pd') }));
			expect(presence.awareness.getStates().get(4)).toMatchObject({ call: { peerId: 'pd' } });
			// Locked again, then everyone leaves: the next call starts unlocked.
			presence.receive(ann, state(1, 4, { user: { id: 'ann' }, call: call('pa', { lock: { on: true, n: 3 } }) }));
			for (const [p, client] of [[ann, 1], [bob, 2], [dan, 4]] as const) presence.receive(p, state(client, 10, { user: { id: p.userId }, call: null }));
			await Promise.resolve();
			expect(presence.lock).toBeNull();
			expect(moderationOf(presence)).toEqual({ lock: null, removed: [] });
			presence.destroy();
		});
	});
});
