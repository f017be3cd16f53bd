import { describe, expect, it } from 'vitest';
import type { CallParticipant } from '../core/call/presence.ts';
import { newMoments, type Seen } from './call-moments.ts';

const NOW = 1_800_000_000_000;
const person = (clientId: number, over: Partial<CallParticipant> = {}): CallParticipant => ({
	clientId,
	userId: `u${clientId}`,
	peerId: `p${clientId}`,
	joinedAt: 0,
	audio: true,
	video: true,
	screen: false,
	device: 'desktop',
	route: 'mesh',
	hand: null,
	reaction: null,
	lower: [],
	unmutes: 0,
	mute: [],
	askUnmute: [],
	remove: [],
	lock: { on: false, n: 0 },
	end: 0,
	...over
});
const kinds = (result: ReturnType<typeof newMoments>) => result.moments.map((m) => [m.kind, m.participant.clientId]);

describe('newMoments', () => {
	it('tells of a hand going up and of each reaction, the same emoji again included', () => {
		let seen: Seen = newMoments(new Map(), [person(1)], NOW).seen;
		const raised = newMoments(seen, [person(1, { hand: NOW })], NOW);
		expect(kinds(raised)).toEqual([['hand', 1]]);
		seen = raised.seen;
		// Still up (a mute, say): nothing new.
		expect(kinds(newMoments(seen, [person(1, { hand: NOW, audio: false })], NOW))).toEqual([]);
		const first = newMoments(seen, [person(1, { hand: NOW, reaction: { emoji: '🎉', n: 1, at: NOW } })], NOW);
		expect(kinds(first)).toEqual([['reaction', 1]]);
		const again = newMoments(first.seen, [person(1, { hand: NOW, reaction: { emoji: '🎉', n: 2, at: NOW } })], NOW);
		expect(kinds(again)).toEqual([['reaction', 1]]);
	});

	it('does not replay what someone had before we looked, only what is fresh', () => {
		const old = person(1, { hand: NOW - 60_000, reaction: { emoji: '👍', n: 3, at: NOW - 60_000 } });
		expect(kinds(newMoments(new Map(), [old], NOW))).toEqual([]);
		const fresh = person(2, { reaction: { emoji: '👍', n: 1, at: NOW - 500 } });
		expect(kinds(newMoments(new Map(), [fresh], NOW))).toEqual([['reaction', 2]]);
	});

	it('forgets people who left', () => {
		const { seen } = newMoments(new Map(), [person(1), person(2)], NOW);
		expect([...newMoments(seen, [person(2)], NOW).seen.keys()]).toEqual([2]);
	});
});
