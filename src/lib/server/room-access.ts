import type { HistoryMode } from '../core/chat/period.ts';
import type { DatabaseSync } from 'node:sqlite';
import type { Role } from '#lib/rooms/schemas.ts';
import { ApiFailure, forbidden, notFound } from './api-failure.ts';
import { Blocks } from './blocks.ts';
import type { RoomEvents } from './events.ts';
import { Timeline } from './timeline.ts';
import { m } from '../paraglide/messages.js';

/** `history`: whether the room's messages live in its main document or in one per month (period.ts). */
export type RoomRow = { id: string; kind: 'group' | 'direct'; name: string; createdBy: string; createdAt: number; lastActivityAt: number; history: HistoryMode };

export type RoomAccessOptions = { db: DatabaseSync; events: RoomEvents; memberLimit: number; now?: () => number };

/**
 * Who is where: the membership, invitation and ban queries and the permission checks that
 * every room operation (rooms, invite links, people) builds on. A room the actor is not a
 * member of is "not found", so room ids do not leak.
 */
export class RoomAccess {
	readonly db: DatabaseSync;
	readonly events: RoomEvents;
	readonly now: () => number;
	readonly memberLimit: number;
	readonly blocks: Blocks;
	/** What happened in each room besides messages, for its timeline. */
	readonly timeline: Timeline;

	constructor(options: RoomAccessOptions) {
		this.db = options.db;
		this.events = options.events;
		this.now = options.now ?? Date.now;
		this.memberLimit = options.memberLimit;
		this.blocks = new Blocks(options.db);
		this.timeline = new Timeline(options.db, this.now);
	}

	role(roomId: string, userId: string): Role | undefined {
		const row = this.db.prepare('select role from room_member where roomId = ? and userId = ?').get(roomId, userId) as { role: Role } | undefined;
		return row?.role;
	}

	/** The actor's role in the room; "not found" when they are not a member. */
	requireMember(roomId: string, userId: string): { room: RoomRow; role: Role; joinedAt: number } {
		const row = this.db
			.prepare(
				`select r.id, r.kind, r.name, r.createdBy, r.createdAt, r.lastActivityAt, r.history, m.role, m.joinedAt
				 from room r join room_member m on m.roomId = r.id and m.userId = ? where r.id = ?`
			)
			.get(userId, roomId) as (RoomRow & { role: Role; joinedAt: number }) | undefined;
		if (!row) throw notFound();
		const { role, joinedAt, ...room } = row;
		return { room, role, joinedAt };
	}

	/** As requireMember, and the actor must be the room's owner or an admin; `refusal` says what only they can do. */
	requireManager(roomId: string, userId: string, refusal: () => string) {
		const found = this.requireMember(roomId, userId);
		if (found.role === 'member') throw forbidden(refusal());
		return found;
	}

	invited(roomId: string, userId: string): boolean {
		return !!this.db.prepare('select 1 from room_invitation where roomId = ? and userId = ?').get(roomId, userId);
	}

	banned(roomId: string, userId: string): boolean {
		return !!this.db.prepare('select 1 from room_ban where roomId = ? and userId = ?').get(roomId, userId);
	}

	pendingCount(roomId: string): number {
		return (this.db.prepare('select count(*) as n from room_invitation where roomId = ?').get(roomId) as { n: number }).n;
	}

	memberIds(roomId: string): string[] {
		return (this.db.prepare('select userId from room_member where roomId = ?').all(roomId) as { userId: string }[]).map((r) => r.userId);
	}

	memberCount(roomId: string): number {
		return (this.db.prepare('select count(*) as n from room_member where roomId = ?').get(roomId) as { n: number }).n;
	}

	/** Every id names an existing person, or a 400 the form can show. */
	requireUsers(userIds: string[]): void {
		const unique = [...new Set(userIds)];
		if (unique.length === 0) return;
		const found = this.db
			.prepare(`select count(*) as n from user where id in (${unique.map(() => '?').join(',')})`)
			.get(...unique) as { n: number };
		if (found.n !== unique.length) throw new ApiFailure(400, m.err_person_missing(), 'userId');
	}

	/** Marks the room active now (rooms are listed by their last activity). */
	touch(roomId: string): void {
		this.db.prepare('update room set lastActivityAt = ? where id = ?').run(this.now(), roomId);
	}
}
