import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, it } from 'vitest';
import { migrate, readMigrations } from './db.ts';
import { RoomEvents } from './events.ts';
import { Rooms } from './rooms.ts';
import { UserSearch } from './user-search.ts';

it('limits exact-email lookups per person (hits and misses alike), not name searches or partial emails', () => {
	const db = new DatabaseSync(':memory:');
	migrate(db, readMigrations(join(import.meta.dirname, '../../../migrations')));
	for (const id of ['ann', 'bob', 'cid']) db.prepare('insert into user (id, name, email, emailVerified, createdAt, updatedAt) values (?, ?, ?, 0, 0, 0)').run(id, id, `${id}@parley.test`);
	let now = 0;
	const search = new UserSearch(new Rooms({ db, events: new RoomEvents(), memberLimit: 100, createPerHour: 100 }), 2, () => now);
	expect(search.search('ann', 'bob@parley.test').map((u) => u.id)).toEqual(['bob']);
	expect(search.search('ann', 'nobody@parley.test')).toEqual([]);
	expect(() => search.search('ann', 'cid@parley.test')).toThrow(expect.objectContaining({ status: 429, field: 'q', message: expect.stringMatching(/try again in 60 minutes/) }));
	expect(search.search('ann', 'cid@parl')).toEqual([]);
	expect(search.search('ann', 'ci').map((u) => u.id)).toEqual(['cid']);
	expect(search.search('bob', 'cid@parley.test').map((u) => u.id)).toEqual(['cid']);
	now += 60 * 60 * 1000;
	expect(search.search('ann', 'cid@parley.test').map((u) => u.id)).toEqual(['cid']);
});
