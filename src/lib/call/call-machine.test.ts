import { describe, expect, it } from 'vitest';
import { callReducer, peersToCall, type CallEvent, type CallState } from './call-machine.ts';

const run = (events: CallEvent[], from: CallState = { phase: 'idle' }) => events.reduce(callReducer, from);

describe('callReducer', () => {
	it('goes from the pre-join screen through joining into the call and back out', () => {
		expect(run([{ type: 'open-prejoin', callInProgress: false }])).toEqual({ phase: 'prejoin', starting: true });
		expect(run([{ type: 'open-prejoin', callInProgress: true }, { type: 'join', peerId: 'p1', participants: 2, limit: null }])).toEqual({ phase: 'joining', peerId: 'p1' });
		const inCall = run([{ type: 'open-prejoin', callInProgress: true }, { type: 'join', peerId: 'p1', participants: 2, limit: null }, { type: 'joined', at: 5 }]);
		expect(inCall).toEqual({ phase: 'in-call', peerId: 'p1', joinedAt: 5 });
		expect(callReducer(inCall, { type: 'leave' })).toEqual({ phase: 'idle' });
	});

	it('tells a person the call is full when the server set a limit', () => {
		// Without an SFU the server sets a limit of six; with one, there is none.
		expect(run([{ type: 'open-prejoin', callInProgress: true }, { type: 'join', peerId: 'p7', participants: 6, limit: 6 }])).toEqual({ phase: 'full', limit: 6 });
		expect(run([{ type: 'open-prejoin', callInProgress: true }, { type: 'join', peerId: 'p7', participants: 6, limit: null }])).toEqual({ phase: 'joining', peerId: 'p7' });
	});

	it('ignores events that do not fit the phase', () => {
		expect(run([{ type: 'joined', at: 1 }])).toEqual({ phase: 'idle' });
		expect(run([{ type: 'join', peerId: 'p', participants: 0, limit: null }])).toEqual({ phase: 'idle' });
		const prejoin: CallState = { phase: 'prejoin', starting: true };
		expect(callReducer(prejoin, { type: 'open-prejoin', callInProgress: true })).toBe(prejoin);
	});

	it('fails from joining or in the call, and can start again', () => {
		const failed = run([{ type: 'open-prejoin', callInProgress: false }, { type: 'join', peerId: 'p', participants: 0, limit: null }, { type: 'failed', reason: 'no camera' }]);
		expect(failed).toEqual({ phase: 'failed', reason: 'no camera' });
		expect(callReducer(failed, { type: 'open-prejoin', callInProgress: false })).toEqual({ phase: 'prejoin', starting: true });
	});
});

describe('peersToCall', () => {
	const ann = { peerId: 'a', userId: 'ann', joinedAt: 1 };
	const bob = { peerId: 'b', userId: 'bob', joinedAt: 2 };
	const cid = { peerId: 'c', userId: 'cid', joinedAt: 2 };

	it('makes the newest participant call everyone already there, exactly once per pair', () => {
		const all = [ann, bob, cid];
		expect(peersToCall(ann, all)).toEqual([]);
		expect(peersToCall(bob, all)).toEqual(['a']);
		expect(peersToCall(cid, all)).toEqual(['a', 'b']);
		const calls = all.flatMap((p) => peersToCall(p, all).map((q) => [p.peerId, q].sort().join('-')));
		expect(new Set(calls).size).toBe(calls.length);
		expect(calls.length).toBe(3);
	});
});
