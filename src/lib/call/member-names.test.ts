import { describe, expect, it } from 'vitest';
import { inCallNames, memberName } from './member-names.ts';
import { m } from '#lib/paraglide/messages.js';

const NOT_A_MEMBER = m.not_a_member();
import { participantsOf } from '../core/call/presence.ts';

const members = [
	{ userId: 'u1', name: 'Ann' },
	{ userId: 'u2', name: 'Bob' }
];

describe('names in a call', () => {
	it('come from the member list, whatever a participant claims on awareness', () => {
		const states = new Map<number, object>([
			[1, { user: { id: 'u1', name: 'Ann' }, call: { peerId: 'p1', joinedAt: 1 } }],
			[2, { user: { id: 'u2', name: 'Ann' }, call: { peerId: 'p2', joinedAt: 2 } }],
			[3, { user: { id: 'u9', name: 'Bob' }, call: { peerId: 'p3', joinedAt: 3 } }]
		]);
		const participants = participantsOf(states as never);
		expect(participants.map((p) => memberName(members, p.userId))).toEqual(['Ann', 'Bob', NOT_A_MEMBER]);
		expect(inCallNames(participants, members, 'u1')).toEqual(['You', 'Bob', NOT_A_MEMBER]);
	});

	it('name each person once, even on two devices', () => {
		const participants = [{ userId: 'u2' }, { userId: 'u1' }, { userId: 'u2' }];
		expect(inCallNames(participants, members, 'u1')).toEqual(['Bob', 'You']);
	});
});
