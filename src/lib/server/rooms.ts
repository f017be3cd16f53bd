import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { CreateInviteBody, Role } from '#lib/rooms/schemas.ts';
import type { Invite, InviteInfo, Member, RoomDetail, RoomSummary, UserResult } from '#lib/rooms/types.ts';
import { ApiFailure, forbidden, notFound } from './api-failure.ts';
import type { RoomEvents } from './events.ts';
import { SlidingWindowLimiter } from './rate-limit.ts';

export const DEFAULT_INVITE_HOURS = 24 * 7;
const SEARCH_LIMIT = 20;

type RoomRow = { id: string; kind: 'group' | 'direct'; name: string; createdBy: string; createdAt: number; lastActivityAt: number };
type InviteRow = { token: string; roomId: string; createdBy: string; createdAt: number; expiresAt: number; maxUses: number | null; useCount: number; revokedAt: number | null };

export type RoomsOptions = {
	db: DatabaseSync;
	events: RoomEvents;
	memberLimit: number;
	createPerHour: number;
	now?: () => number;
};

const newId = () => randomBytes(16).toString('base64url');
const newInviteToken = () => randomBytes(24).toString('base64url');

/**
 * Rooms, members, roles and invites. Every method takes the acting user's id and
 * enforces who may do what; failures are ApiFailures a person can read. A room the
 * actor is not a member of is "not found", so room ids do not leak.
 */
export class Rooms {
	readonly #db: DatabaseSync;
	readonly #events: RoomEvents;
	readonly #now: () => number;
	readonly #createLimiter: SlidingWindowLimiter;
	readonly memberLimit: number;

	constructor(options: RoomsOptions) {
		this.#db = options.db;
		this.#events = options.events;
		this.#now = options.now ?? Date.now;
		this.memberLimit = options.memberLimit;
		this.#createLimiter = new SlidingWindowLimiter(options.createPerHour, 60 * 60 * 1000, this.#now);
	}

	#transaction<T>(work: () => T): T {
		this.#db.exec('begin immediate');
		try {
			const result = work();
			this.#db.exec('commit');
			return result;
		} catch (error) {
			this.#db.exec('rollback');
			throw error;
		}
	}

	#role(roomId: string, userId: string): Role | undefined {
		const row = this.#db.prepare('select role from room_member where roomId = ? and userId = ?').get(roomId, userId) as { role: Role } | undefined;
		return row?.role;
	}

	/** The actor's role in the room; "not found" when they are not a member. */
	requireMember(roomId: string, userId: string): { room: RoomRow; role: Role } {
		const row = this.#db
			.prepare(
				`select r.id, r.kind, r.name, r.createdBy, r.createdAt, r.lastActivityAt, m.role
				 from room r join room_member m on m.roomId = r.id and m.userId = ? where r.id = ?`
			)
			.get(userId, roomId) as (RoomRow & { role: Role }) | undefined;
		if (!row) throw notFound();
		const { role, ...room } = row;
		return { room, role };
	}

	#requireManager(roomId: string, userId: string, action: string) {
		const found = this.requireMember(roomId, userId);
		if (found.role === 'member') throw forbidden(`Only the room's owner and admins can ${action}.`);
		return found;
	}

	memberIds(roomId: string): string[] {
		return (this.#db.prepare('select userId from room_member where roomId = ?').all(roomId) as { userId: string }[]).map((r) => r.userId);
	}

	/** When a member joined the room (undefined when they are not a member). */
	joinedAt(roomId: string, userId: string): number | undefined {
		return (this.#db.prepare('select joinedAt from room_member where roomId = ? and userId = ?').get(roomId, userId) as { joinedAt: number } | undefined)?.joinedAt;
	}

	#memberCount(roomId: string): number {
		return (this.#db.prepare('select count(*) as n from room_member where roomId = ?').get(roomId) as { n: number }).n;
	}

	#requireUsers(userIds: string[]): void {
		const unique = [...new Set(userIds)];
		if (unique.length === 0) return;
		const found = this.#db
			.prepare(`select count(*) as n from user where id in (${unique.map(() => '?').join(',')})`)
			.get(...unique) as { n: number };
		if (found.n !== unique.length) throw new ApiFailure(400, 'One of the people you chose does not exist.', 'userId');
	}

	#touch(roomId: string): void {
		this.#db.prepare('update room set lastActivityAt = ? where id = ?').run(this.#now(), roomId);
	}

	markRead(userId: string, roomId: string): void {
		this.requireMember(roomId, userId);
		this.#db.prepare('update room_member set lastReadAt = ? where roomId = ? and userId = ?').run(this.#now(), roomId, userId);
	}

	listForUser(userId: string): RoomSummary[] {
		return this.#db
			.prepare(
				`select r.id, r.kind, r.lastActivityAt, m.role,
					(select count(*) from chat_message c where c.roomId = r.id and c.createdAt > m.lastReadAt and c.authorId != m.userId) as unread,
					case when r.kind = 'direct'
						then coalesce((select u.name from room_member o join user u on u.id = o.userId
							where o.roomId = r.id and o.userId != m.userId), r.name)
						else r.name end as name,
					(select count(*) from room_member c where c.roomId = r.id) as memberCount
				 from room_member m join room r on r.id = m.roomId
				 where m.userId = ?
				 order by r.lastActivityAt desc, r.id`
			)
			.all(userId) as RoomSummary[];
	}

	create(userId: string, input: { name: string; memberIds?: string[] }): RoomDetail {
		const others = [...new Set(input.memberIds ?? [])].filter((id) => id !== userId);
		if (others.length + 1 > this.memberLimit) {
			throw new ApiFailure(400, `A room can have at most ${this.memberLimit} members.`, 'memberIds');
		}
		this.#requireUsers(others);
		if (!this.#createLimiter.take(userId)) {
			throw new ApiFailure(429, 'You have created many rooms in the last hour. Wait a while before creating another.');
		}
		const id = newId();
		const now = this.#now();
		this.#transaction(() => {
			this.#db.prepare('insert into room (id, kind, name, createdBy, createdAt, lastActivityAt) values (?, ?, ?, ?, ?, ?)').run(id, 'group', input.name, userId, now, now);
			const add = this.#db.prepare('insert into room_member (roomId, userId, role, joinedAt) values (?, ?, ?, ?)');
			add.run(id, userId, 'owner', now);
			for (const other of others) add.run(id, other, 'member', now);
		});
		this.#events.emit({ roomId: id, kind: 'created', notify: [userId, ...others], revoked: [] });
		return this.get(userId, id);
	}

	/** The one direct room between two people, created on first use. */
	direct(userId: string, otherId: string): { room: RoomDetail; created: boolean } {
		if (otherId === userId) throw new ApiFailure(400, 'A direct room needs another person.', 'userId');
		this.#requireUsers([otherId]);
		const key = [userId, otherId].sort().join(' ');
		const existing = this.#db.prepare('select id from room where directKey = ?').get(key) as { id: string } | undefined;
		if (existing) return { room: this.get(userId, existing.id), created: false };
		const id = newId();
		const now = this.#now();
		this.#transaction(() => {
			this.#db.prepare('insert into room (id, kind, name, createdBy, createdAt, lastActivityAt, directKey) values (?, ?, ?, ?, ?, ?, ?)').run(id, 'direct', '', userId, now, now, key);
			const add = this.#db.prepare('insert into room_member (roomId, userId, role, joinedAt) values (?, ?, ?, ?)');
			add.run(id, userId, 'member', now);
			add.run(id, otherId, 'member', now);
		});
		this.#events.emit({ roomId: id, kind: 'created', notify: [userId, otherId], revoked: [] });
		return { room: this.get(userId, id), created: true };
	}

	get(userId: string, roomId: string): RoomDetail {
		const { room, role } = this.requireMember(roomId, userId);
		const members = this.#db
			.prepare(
				`select m.userId, u.name, m.role, m.joinedAt from room_member m join user u on u.id = m.userId
				 where m.roomId = ? order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, u.name collate nocase`
			)
			.all(roomId) as Member[];
		const name = room.kind === 'direct' ? (members.find((m) => m.userId !== userId)?.name ?? room.name) : room.name;
		return { ...room, name, myRole: role, memberLimit: this.memberLimit, members };
	}

	rename(userId: string, roomId: string, name: string): RoomDetail {
		const { room } = this.#requireManager(roomId, userId, 'rename the room');
		if (room.kind === 'direct') throw forbidden('A direct room has no name of its own.');
		this.#db.prepare('update room set name = ? where id = ?').run(name, roomId);
		this.#events.emit({ roomId, kind: 'renamed', notify: this.memberIds(roomId), revoked: [] });
		return this.get(userId, roomId);
	}

	delete(userId: string, roomId: string): void {
		const { role } = this.requireMember(roomId, userId);
		if (role !== 'owner') throw forbidden('Only the owner can delete the room.');
		const members = this.memberIds(roomId);
		this.#db.prepare('delete from room where id = ?').run(roomId);
		this.#events.emit({ roomId, kind: 'deleted', notify: members, revoked: members });
	}

	addMember(userId: string, roomId: string, newMemberId: string): Member {
		const { room } = this.#requireManager(roomId, userId, 'add people');
		if (room.kind === 'direct') throw forbidden('A direct room is for two people; create a group room instead.');
		this.#requireUsers([newMemberId]);
		if (this.#role(roomId, newMemberId)) throw new ApiFailure(409, 'That person is already a member of this room.', 'userId');
		if (this.#memberCount(roomId) >= this.memberLimit) throw new ApiFailure(409, `This room is full: it already has ${this.memberLimit} members.`);
		this.#db.prepare('insert into room_member (roomId, userId, role, joinedAt) values (?, ?, ?, ?)').run(roomId, newMemberId, 'member', this.#now());
		this.#touch(roomId);
		this.#events.emit({ roomId, kind: 'member-added', notify: this.memberIds(roomId), revoked: [] });
		return this.get(userId, roomId).members.find((m) => m.userId === newMemberId)!;
	}

	/** Removes someone, or lets a member leave (target = actor). */
	removeMember(userId: string, roomId: string, targetId: string): void {
		const { room, role } = this.requireMember(roomId, userId);
		const targetRole = this.#role(roomId, targetId);
		if (!targetRole) throw new ApiFailure(404, 'That person is not a member of this room.', 'userId');
		if (targetId === userId) {
			if (role === 'owner') throw new ApiFailure(409, 'Make someone else the owner before you leave the room.');
		} else {
			if (room.kind === 'direct') throw forbidden('Nobody can be removed from a direct room; either person can leave it.');
			if (role === 'member') throw forbidden("Only the room's owner and admins can remove people.");
			if (role === 'admin' && targetRole !== 'member') throw forbidden('Admins can remove members, but not the owner or other admins.');
		}
		const before = this.memberIds(roomId);
		this.#db.prepare('delete from room_member where roomId = ? and userId = ?').run(roomId, targetId);
		this.#events.emit({ roomId, kind: 'member-removed', notify: before, revoked: [targetId] });
	}

	/** Owner only. Making someone owner hands ownership over: the old owner becomes an admin. */
	changeRole(userId: string, roomId: string, targetId: string, newRole: Role): Member[] {
		const { room, role } = this.requireMember(roomId, userId);
		if (role !== 'owner') throw forbidden('Only the owner can change roles.');
		if (room.kind === 'direct') throw forbidden('A direct room has no roles.');
		const targetRole = this.#role(roomId, targetId);
		if (!targetRole) throw new ApiFailure(404, 'That person is not a member of this room.', 'userId');
		if (targetId === userId) {
			if (newRole !== 'owner') throw new ApiFailure(409, 'A room always has an owner: make someone else the owner instead.', 'role');
			return this.get(userId, roomId).members;
		}
		this.#transaction(() => {
			this.#db.prepare('update room_member set role = ? where roomId = ? and userId = ?').run(newRole, roomId, targetId);
			if (newRole === 'owner') this.#db.prepare("update room_member set role = 'admin' where roomId = ? and userId = ?").run(roomId, userId);
		});
		this.#events.emit({ roomId, kind: 'role-changed', notify: this.memberIds(roomId), revoked: [] });
		return this.get(userId, roomId).members;
	}

	createInvite(userId: string, roomId: string, input: CreateInviteBody, origin: string): Invite {
		const { room } = this.#requireManager(roomId, userId, 'create invite links');
		if (room.kind === 'direct') throw forbidden('A direct room is for two people; create a group room to invite others.');
		const now = this.#now();
		const token = newInviteToken();
		const expiresAt = now + Math.round((input.expiresInHours ?? DEFAULT_INVITE_HOURS) * 3600 * 1000);
		this.#db
			.prepare('insert into room_invite (token, roomId, createdBy, createdAt, expiresAt, maxUses) values (?, ?, ?, ?, ?, ?)')
			.run(token, roomId, userId, now, expiresAt, input.maxUses ?? null);
		return { token, url: `${origin}/invite/${token}`, createdBy: userId, createdAt: now, expiresAt, maxUses: input.maxUses ?? null, useCount: 0 };
	}

	/** The invites that can still be used, for the settings page. */
	listInvites(userId: string, roomId: string, origin: string): Invite[] {
		this.#requireManager(roomId, userId, 'see invite links');
		const rows = this.#db
			.prepare(
				`select token, createdBy, createdAt, expiresAt, maxUses, useCount from room_invite
				 where roomId = ? and revokedAt is null and expiresAt > ? and (maxUses is null or useCount < maxUses)
				 order by createdAt desc`
			)
			.all(roomId, this.#now()) as Omit<Invite, 'url'>[];
		return rows.map((r) => ({ ...r, url: `${origin}/invite/${r.token}` }));
	}

	revokeInvite(userId: string, roomId: string, token: string): void {
		this.#requireManager(roomId, userId, 'revoke invite links');
		const result = this.#db.prepare('update room_invite set revokedAt = ? where token = ? and roomId = ? and revokedAt is null').run(this.#now(), token, roomId);
		if (result.changes === 0) throw new ApiFailure(404, 'No such invite link in this room (it may already be revoked).');
	}

	#invite(token: string): InviteRow {
		const row = this.#db.prepare('select * from room_invite where token = ?').get(token) as InviteRow | undefined;
		if (!row) throw new ApiFailure(404, 'This invite link does not exist. Ask for a new one.');
		return row;
	}

	#inviteProblem(invite: InviteRow): InviteInfo['reason'] {
		if (invite.revokedAt !== null) return 'revoked';
		if (invite.expiresAt <= this.#now()) return 'expired';
		if (invite.maxUses !== null && invite.useCount >= invite.maxUses) return 'used-up';
		if (this.#memberCount(invite.roomId) >= this.memberLimit) return 'room-full';
		return undefined;
	}

	inviteInfo(userId: string, token: string): InviteInfo {
		const invite = this.#invite(token);
		const room = this.#db.prepare('select name from room where id = ?').get(invite.roomId) as { name: string };
		const inviter = this.#db.prepare('select name from user where id = ?').get(invite.createdBy) as { name: string } | undefined;
		const reason = this.#inviteProblem(invite);
		const alreadyMember = this.#role(invite.roomId, userId) !== undefined;
		return {
			roomId: invite.roomId,
			roomName: room.name,
			inviterName: inviter?.name ?? 'Someone',
			valid: !reason,
			...(reason ? { reason } : {}),
			alreadyMember,
			expiresAt: invite.expiresAt
		};
	}

	accept(userId: string, token: string): { roomId: string; alreadyMember: boolean } {
		return this.#transaction(() => {
			const invite = this.#invite(token);
			if (this.#role(invite.roomId, userId)) return { roomId: invite.roomId, alreadyMember: true };
			const reason = this.#inviteProblem(invite);
			const messages: Record<NonNullable<InviteInfo['reason']>, string> = {
				revoked: 'This invite link was revoked. Ask for a new one.',
				expired: 'This invite link has expired. Ask for a new one.',
				'used-up': 'This invite link has been used as many times as it allows. Ask for a new one.',
				'room-full': `This room is full: it already has ${this.memberLimit} members.`
			};
			if (reason) throw new ApiFailure(reason === 'room-full' ? 409 : 410, messages[reason]);
			const now = this.#now();
			this.#db.prepare('insert into room_member (roomId, userId, role, joinedAt) values (?, ?, ?, ?)').run(invite.roomId, userId, 'member', now);
			this.#db.prepare('update room_invite set useCount = useCount + 1 where token = ?').run(token);
			this.#touch(invite.roomId);
			this.#events.emit({ roomId: invite.roomId, kind: 'member-added', notify: this.memberIds(invite.roomId), revoked: [] });
			return { roomId: invite.roomId, alreadyMember: false };
		});
	}

	/** People by name prefix (of the name or any word in it), or by exact email. Never lists emails otherwise. */
	searchUsers(userId: string, query: string): UserResult[] {
		if (query.includes('@')) {
			const row = this.#db.prepare('select id, name, email from user where email = ? collate nocase and id != ?').get(query.toLowerCase(), userId) as UserResult | undefined;
			return row ? [row] : [];
		}
		const escaped = query.replace(/[\\%_]/g, (c) => '\\' + c);
		return this.#db
			.prepare(
				`select id, name from user
				 where id != ? and (name like ? escape '\\' or name like ? escape '\\')
				 order by name collate nocase, id limit ?`
			)
			.all(userId, `${escaped}%`, `% ${escaped}%`, SEARCH_LIMIT) as UserResult[];
	}
}
