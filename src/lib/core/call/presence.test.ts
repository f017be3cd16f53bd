import { describe, expect, it } from 'vitest';
import { inCall, participantsOf, serverCallOf } from './presence.ts';

describe('call presence on awareness', () => {
	it('lists participants in join order, with where they receive the call', () => {
		const states = new Map<number, object>([
			[1, { user: { id: 'u1', name: 'Ann' }, call: { peerId: 'p1', joinedAt: 20, route: 'sfu' } }],
			[2, { user: { id: 'u2', name: 'Bob' }, call: { peerId: 'p2', joinedAt: 10 } }],
			[3, { user: { id: 'u3', name: 'Cy' } }],
			[4, { server: { call: { topology: 'sfu', janusRoom: 7, sfu: true, limit: null } } }]
		]);
		const list = participantsOf(states as never);
		expect(list.map((p) => [p.userId, p.route])).toEqual([
			['u2', 'mesh'],
			['u1', 'sfu']
		]);
	});

	it('is in the call only with a peer id', () => {
		expect(inCall({ user: { id: 'u1' }, call: { peerId: 'p1' } })).toBe(true);
		for (const state of [{ call: {} }, { call: { audio: true } }, { call: { peerId: 7 } }, { call: null }, { call: 'yes' }, {}, null, undefined]) expect(inCall(state)).toBe(false);
		expect(participantsOf(new Map([[1, { user: { id: 'u1' }, call: { audio: true } }]]) as never)).toEqual([]);
	});

	it('reads what the server says about the call, and nothing when it has not spoken', () => {
		expect(serverCallOf(new Map([[4, { server: { call: { topology: 'sfu', janusRoom: 7, sfu: true, limit: null } } }]]))).toEqual({ topology: 'sfu', janusRoom: 7, sfu: true, limit: null });
		expect(serverCallOf(new Map([[4, { server: { call: { topology: 'mesh', janusRoom: null, sfu: false, limit: 6 } } }]]))).toEqual({ topology: 'mesh', janusRoom: null, sfu: false, limit: 6 });
		// Garbage is read as the safe default.
		expect(serverCallOf(new Map([[4, { server: { call: { topology: 'x', janusRoom: '7' } } }]]) as never)).toEqual({ topology: 'mesh', janusRoom: null, sfu: false, limit: null });
		expect(serverCallOf(new Map([[1, { user: { id: 'u1' } }]]) as never)).toBeNull();
	});

	it('reads a hand, a reaction and requests to lower hands, and garbage as none', () => {
		const states = new Map<number, object>([
			[1, { user: { id: 'u1' }, call: { peerId: 'p1', hand: 5, reaction: { emoji: '🎉', n: 2, at: 9 }, lower: [{ userId: 'u2', hand: 3 }, 'x'] } }],
			[2, { user: { id: 'u2' }, call: { peerId: 'p2', hand: 'up', reaction: { emoji: '💩', n: 1, at: 9 }, lower: 'all' } }]
		]);
		const [one, two] = participantsOf(states as never);
		expect([one.hand, one.reaction, one.lower]).toEqual([5, { emoji: '🎉', n: 2, at: 9 }, [{ userId: 'u2', hand: 3 }]]);
		expect([two.hand, two.reaction, two.lower]).toEqual([null, null, []]);
	});
});
