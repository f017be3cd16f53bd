import type { DatabaseSync } from 'node:sqlite';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Rooms } from './rooms.ts';
import { addAcceptedMember, roomsInMemory } from './rooms-fixture.ts';

let db: DatabaseSync;
let rooms: Rooms;
let clock: number;

beforeEach(() => {
	clock = 1_800_000_000_000;
	({ db, rooms } = roomsInMemory(['ann', 'bob', 'cy'], () => clock));
});

const kinds = (roomId: string) => rooms.timelineFor('ann', roomId).map((e) => [e.kind, e.actorName, e.targetName, e.detail]);

describe('timeline', () => {
	it('tells who created, joined, left and was removed, and renames, in order, by the names people have now', () => {
		const room = rooms.create('ann', { name: 'Team' }).id;
		addAcceptedMember(rooms, 'ann', room, 'bob');
		addAcceptedMember(rooms, 'ann', room, 'cy');
		rooms.rename('ann', room, 'Crew');
		rooms.removeMember('bob', room, 'bob');
		rooms.removeMember('ann', room, 'cy');
		db.prepare("update user set name = 'Annie' where id = 'ann'").run();
		expect(kinds(room)).toEqual([
			['created', 'Annie', '', null],
			['joined', 'BOB', '', null],
			['joined', 'CY', '', null],
			['renamed', 'Annie', '', 'Crew'],
			['left', 'BOB', '', null],
			['removed', 'Annie', 'CY', null]
		]);
		// Only for members; a deleted account is named as such.
		expect(() => rooms.timelineFor('bob', room)).toThrow();
		db.prepare("delete from user where id = 'cy'").run();
		expect(rooms.timelineFor('ann', room).at(-1)).toMatchObject({ targetId: 'cy', targetName: 'Deleted user' });
	});

	it('starts a call with the first one in and ends it with its length when the last one leaves', () => {
		const room = rooms.create('ann', { name: 'Team' }).id;
		const { timeline } = rooms;
		expect(timeline.callChanged(room, new Set(['bob']))).toBe(true);
		clock += 1000;
		expect(timeline.callChanged(room, new Set(['bob', 'ann']))).toBe(false);
		clock += 59_000;
		expect(timeline.callChanged(room, new Set(['ann']))).toBe(false);
		expect(timeline.callChanged(room, new Set())).toBe(true);
		expect(timeline.callChanged(room, new Set())).toBe(false);
		expect(kinds(room).slice(1)).toEqual([
			['call-started', 'BOB', '', null],
			['call-ended', '', '', '60000']
		]);
	});

	it('ends at start the calls that were going on when the server stopped', () => {
		const room = rooms.create('ann', { name: 'Team' }).id;
		const other = rooms.create('ann', { name: 'Other' }).id;
		rooms.timeline.callChanged(room, new Set(['ann']));
		rooms.timeline.callChanged(other, new Set(['ann']));
		rooms.timeline.callChanged(other, new Set());
		clock += 5000;
		expect(rooms.timeline.endAbandonedCalls()).toEqual([room]);
		expect(kinds(room).at(-1)).toEqual(['call-ended', '', '', '5000']);
		expect(rooms.timeline.endAbandonedCalls()).toEqual([]);
	});

	it('keeps the newest events when there are more than a page carries', () => {
		const room = rooms.create('ann', { name: 'Team' }).id;
		for (let i = 0; i < 20; i++) rooms.rename('ann', room, `Name ${i}`);
		const newest = rooms.timeline.list(room, 5);
		expect(newest.map((e) => e.detail)).toEqual(['Name 15', 'Name 16', 'Name 17', 'Name 18', 'Name 19']);
	});
});
