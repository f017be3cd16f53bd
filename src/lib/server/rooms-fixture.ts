import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { migrate, readMigrations } from './db.ts';
import { RoomEvents } from './events.ts';
import { Rooms } from './rooms.ts';

/** For tests: an in-memory database at the newest schema, with these people (named as their id in capitals), and its Rooms. */
export function roomsInMemory(people: readonly string[], now: () => number): { db: DatabaseSync; rooms: Rooms } {
	const db = new DatabaseSync(':memory:');
	db.exec('pragma foreign_keys = on');
	migrate(db, readMigrations(join(import.meta.dirname, '../../../migrations')));
	const rooms = new Rooms({ db, events: new RoomEvents(), memberLimit: 10, createPerHour: 30, now });
	const insert = db.prepare('insert into user (id, name, email, emailVerified, createdAt, updatedAt) values (?, ?, ?, 0, 0, 0)');
	for (const id of people) insert.run(id, id.toUpperCase(), `${id}@parley.test`);
	return { db, rooms };
}

/**
 * For tests and benchmarks: a group room whose chosen people have already accepted their
 * invitations, as the room existed before consent was asked for.
 */
export function createRoomWithMembers(rooms: Rooms, ownerId: string, input: { name: string; memberIds?: string[] }) {
	const room = rooms.create(ownerId, input);
	for (const invitee of room.invited) rooms.acceptInvitation(invitee.userId, room.id);
	return rooms.get(ownerId, room.id);
}

/** Invites someone and accepts as them. */
export function addAcceptedMember(rooms: Rooms, actorId: string, roomId: string, userId: string) {
	rooms.addMember(actorId, roomId, userId);
	rooms.acceptInvitation(userId, roomId);
}
