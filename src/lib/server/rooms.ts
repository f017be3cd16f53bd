import { randomBytes } from 'node:crypto';
import type { NotifyLevel, Role } from '#lib/rooms/schemas.ts';
import type { BannedPerson, Invitation, Member, PendingMember, RoomDetail, RoomSummary } from '#lib/rooms/types.ts';
import { mentionedIn, mentionsAsNames } from '../core/chat/mentions.ts';
import { ApiFailure, forbidden } from './api-failure.ts';
import { avatarUrlSql } from './avatars.ts';
import { transaction } from './db.ts';
import { InviteLinks } from './invite-links.ts';
import { People } from './people.ts';
import { RoomAccess, type RoomAccessOptions } from './room-access.ts';
import { SlidingWindowLimiter } from './rate-limit.ts';
import { m } from '../paraglide/messages.js';
import { nameCollator } from '../i18n/text.ts';
import { getLocale } from '../paraglide/runtime.js';

/** The part of Files a room's deletion uses (files/files.ts). */
export type RoomFiles = { deleteRoom(roomId: string, deleteRow: () => void): Promise<void> };

/** `files` is left out only by tests that never store a file. */
export type RoomsOptions = RoomAccessOptions & { createPerHour: number; files?: RoomFiles };

const newId = () => randomBytes(16).toString('base64url');

/** The other person of a direct room, from its key (the two ids sorted, joined by a space). */
/** Most characters of a room's last message the room list shows. */
export const PREVIEW_LENGTH = 120;

/** A message as one line of a room list: mentions as names, whitespace and Markdown markers folded, cut at PREVIEW_LENGTH. */
export function previewText(text: string, nameOf: (userId: string) => string): string {
	const line = mentionsAsNames(text, mentionedIn(text), nameOf)
		.replace(/^```.*$/gm, '')
		.replace(/^\s*(?:>|[-*+]|\d+[.)])\s+/gm, '')
		.replace(/\s+/g, ' ')
		.trim();
	return line.length > PREVIEW_LENGTH ? `${line.slice(0, PREVIEW_LENGTH - 1)}…` : line;
}

/** The other person of a direct room (`m` the member asking), from the pair the room was made for. */
const DIRECT_PEER_ID_SQL = `(case when substr(r.directKey, 1, instr(r.directKey, ' ') - 1) = m.userId
	then substr(r.directKey, instr(r.directKey, ' ') + 1) else substr(r.directKey, 1, instr(r.directKey, ' ') - 1) end)`;

export const DIRECT_PEER_SQL = `(select u.name from user u where u.id != m.userId and u.id in
	(substr(r.directKey, 1, instr(r.directKey, ' ') - 1), substr(r.directKey, instr(r.directKey, ' ') + 1)))`;

/**
 * Rooms, members, roles and invitations. Every method takes the acting user's id and
 * enforces who may do what; failures are ApiFailures a person can read. Invite links and
 * people (search, blocks) are their own parts, reached as `rooms.inviteLinks` and `rooms.people`.
 */
export class Rooms extends RoomAccess {
	readonly #createLimiter: SlidingWindowLimiter;
	readonly inviteLinks: InviteLinks;
	readonly people: People;
	readonly #files: RoomFiles | undefined;

	constructor(options: RoomsOptions) {
		super(options);
		this.#files = options.files;
		this.#createLimiter = new SlidingWindowLimiter(options.createPerHour, 60 * 60 * 1000, this.now);
		this.inviteLinks = new InviteLinks(this);
		this.people = new People(this);
	}

	/** The room's timeline events (joins, renames, calls...) for a member. */
	timelineFor(userId: string, roomId: string) {
		this.requireMember(roomId, userId);
		return this.timeline.list(roomId);
	}

	markRead(userId: string, roomId: string): void {
		this.requireMember(roomId, userId);
		this.db.prepare('update room_member set lastReadAt = ? where roomId = ? and userId = ?').run(this.now(), roomId, userId);
	}

	/**
	 * Up to when the person has read the room: when they last marked it read, or joined it if later
	 * (what was written before they joined is history, not unread). Where its "New messages" divider
	 * goes when they open it, and what the lobby counts from.
	 */
	lastReadAt(userId: string, roomId: string): number {
		this.requireMember(roomId, userId);
		return (this.db.prepare('select max(lastReadAt, joinedAt) as readTo from room_member where roomId = ? and userId = ?').get(roomId, userId) as { readTo: number }).readTo;
	}

	/** Sets what the person hears of the room by push (see push.ts). */
	setNotifications(userId: string, roomId: string, level: NotifyLevel): void {
		this.requireMember(roomId, userId);
		this.db.prepare('update room_member set notify = ? where roomId = ? and userId = ?').run(level, roomId, userId);
	}

	/** What each member of the room hears of it by push. */
	notificationLevels(roomId: string): Map<string, NotifyLevel> {
		const rows = this.db.prepare('select userId, notify from room_member where roomId = ?').all(roomId) as { userId: string; notify: NotifyLevel }[];
		return new Map(rows.map((r) => [r.userId, r.notify]));
	}

	/** The months of a room that have a document (period.ts), newest first: where scrolling back can go. */
	periods(userId: string, roomId: string): string[] {
		this.requireMember(roomId, userId);
		const rows = this.db
			.prepare("select period from sync_snapshot where roomId = ? and period != '' union select period from sync_update where roomId = ? and period != '' order by period desc")
			.all(roomId, roomId) as { period: string }[];
		return rows.map((r) => r.period);
	}

	/**
	 * For a room whose history was split by month at an upgrade (sync/history-split.ts): the state
	 * vector of its old single document then, in base64; null for a room born split.
	 */
	legacyState(roomId: string): string | null {
		const row = this.db.prepare('select legacyState from room where id = ?').get(roomId) as { legacyState: Uint8Array | null } | undefined;
		return row?.legacyState ? Buffer.from(row.legacyState).toString('base64') : null;
	}

	listForUser(userId: string): RoomSummary[] {
		const rooms = this.db
			.prepare(
				`select r.id, r.kind, r.lastActivityAt, m.role,
					(select count(*) from chat_message c where c.roomId = r.id and c.createdAt > max(m.lastReadAt, m.joinedAt) and c.authorId != m.userId) as unread,
					(select count(*) from chat_mention c where c.userId = m.userId and c.roomId = r.id and c.createdAt > max(m.lastReadAt, m.joinedAt)
						and substr(c.key, 1, length(m.userId) + 1) != m.userId || ':') as mentions,
					case when r.kind = 'direct' then coalesce(${DIRECT_PEER_SQL}, r.name) else r.name end as name,
					case when r.kind = 'direct' then ${DIRECT_PEER_ID_SQL} end as peerId,
					case when r.kind = 'direct' then ${avatarUrlSql('user', DIRECT_PEER_ID_SQL)} else ${avatarUrlSql('room', 'r.id')} end as avatar,
					(select count(*) from room_member c where c.roomId = r.id) as memberCount
				 from room_member m join room r on r.id = m.roomId
				 where m.userId = ?
				 order by r.lastActivityAt desc, r.id`
			)
			.all(userId) as Omit<RoomSummary, 'preview'>[];
		const last = this.db.prepare(
			`select t.authorId, t.createdAt as at, t.text, u.name as authorName from chat_search_text t left join user u on u.id = t.authorId
			 where t.roomId = ? order by t.createdAt desc limit 1`
		);
		const nameOf = this.db.prepare('select name from user where id = ?');
		const personName = (id: string) => (nameOf.get(id) as { name: string } | undefined)?.name ?? m.deleted_user();
		return rooms.map((room) => {
			const row = last.get(room.id) as { authorId: string; at: number; text: string; authorName: string | null } | undefined;
			const preview = row ? { authorId: row.authorId, authorName: row.authorName ?? m.deleted_user(), at: row.at, text: previewText(row.text, personName) } : null;
			const { peerId, avatar, ...summary } = room as typeof room & { peerId: string | null; avatar: string | null };
			return { ...summary, ...(peerId ? { peerId } : {}), ...(avatar ? { avatar } : {}), name: room.kind === 'direct' && !room.name ? m.deleted_user() : room.name, preview };
		});
	}

	/** A person changed their name: the pages of their rooms show the new one. */
	renamedPerson(userId: string): void {
		const rooms = this.db.prepare('select roomId from room_member where userId = ?').all(userId) as { roomId: string }[];
		for (const { roomId } of rooms) this.events.emit({ roomId, kind: 'renamed', notify: this.memberIds(roomId), revoked: [] });
	}

	/**
	 * Authors of the room's messages whose accounts were deleted (account-deletion.ts): their
	 * messages stay, shown as by "Deleted user" rather than a former member. A message's key starts
	 * with its author's id (message-key.ts), so the room's authors are found by skipping from one to
	 * the next along the message index's primary key: one lookup per author, however long the
	 * history (a scan of every message would cost a room of a million messages a second per page).
	 */
	deletedAuthors(userId: string, roomId: string): string[] {
		this.requireMember(roomId, userId);
		const next = this.db.prepare('select key from chat_message where roomId = ? and key > ? order by key limit 1');
		const exists = this.db.prepare('select 1 from user where id = ?');
		const deleted: string[] = [];
		for (let after = ''; ; ) {
			const row = next.get(roomId, after) as { key: string } | undefined;
			if (!row) return deleted;
			const authorId = row.key.slice(0, row.key.indexOf(':'));
			if (!exists.get(authorId)) deleted.push(authorId);
			// ';' comes right after ':', so this skips every other message by the same author.
			after = `${authorId};`;
		}
	}

	create(userId: string, input: { name: string; memberIds?: string[] }): RoomDetail {
		const others = [...new Set(input.memberIds ?? [])].filter((id) => id !== userId);
		if (others.length + 1 > this.memberLimit) {
			throw new ApiFailure(400, m.err_room_max_members({ count: this.memberLimit }), 'memberIds');
		}
		this.requireUsers(others);
		if (this.blocks.notBlocking(userId, others).length !== others.length) {
			throw forbidden(m.err_chosen_refuses());
		}
		if (!this.#createLimiter.take(userId)) {
			throw new ApiFailure(429, m.err_rooms_too_often());
		}
		const id = newId();
		const now = this.now();
		transaction(this.db, () => {
			this.db.prepare("insert into room (id, kind, name, createdBy, createdAt, lastActivityAt, history) values (?, ?, ?, ?, ?, ?, 'monthly')").run(id, 'group', input.name, userId, now, now);
			this.db.prepare('insert into room_member (roomId, userId, role, joinedAt) values (?, ?, ?, ?)').run(id, userId, 'owner', now);
			// The chosen people are invited: each becomes a member only by accepting.
			const invite = this.db.prepare('insert into room_invitation (roomId, userId, invitedBy, createdAt) values (?, ?, ?, ?)');
			for (const other of others) invite.run(id, other, userId, now);
			this.timeline.record(id, 'created', userId);
		});
		this.events.emit({ roomId: id, kind: 'created', notify: [userId], revoked: [] });
		if (others.length) this.events.emit({ roomId: id, kind: 'invited', notify: [userId, ...others], revoked: [] });
		return this.get(userId, id);
	}

	/**
	 * The one direct room between two people, created on first use. Opening it makes the
	 * opener a member again (after leaving, or accepting the other's request) and invites the
	 * other when they are not in it: a direct room is a message request until they accept.
	 */
	direct(userId: string, otherId: string): { room: RoomDetail; created: boolean } {
		if (otherId === userId) throw new ApiFailure(400, m.err_direct_needs_other(), 'userId');
		this.requireUsers([otherId]);
		if (this.blocks.hasBlocked(userId, otherId)) throw forbidden(m.err_you_blocked());
		if (this.blocks.hasBlocked(otherId, userId)) throw forbidden(m.err_refuses_messages());
		const key = [userId, otherId].sort().join(' ');
		const now = this.now();
		const { id, created, joined, invited } = transaction(this.db, () => {
			const existing = this.db.prepare('select id from room where directKey = ?').get(key) as { id: string } | undefined;
			const id = existing?.id ?? newId();
			if (!existing) {
				this.db.prepare("insert into room (id, kind, name, createdBy, createdAt, lastActivityAt, directKey, history) values (?, ?, ?, ?, ?, ?, ?, 'monthly')").run(id, 'direct', '', userId, now, now, key);
			}
			const joined = !this.role(id, userId);
			if (joined) {
				this.db.prepare('delete from room_invitation where roomId = ? and userId = ?').run(id, userId);
				this.db.prepare('insert into room_member (roomId, userId, role, joinedAt) values (?, ?, ?, ?)').run(id, userId, 'member', now);
			}
			const invited = !this.role(id, otherId) && !this.invited(id, otherId);
			if (invited) this.db.prepare('insert into room_invitation (roomId, userId, invitedBy, createdAt) values (?, ?, ?, ?)').run(id, otherId, userId, now);
			return { id, created: !existing, joined, invited };
		});
		if (created) this.events.emit({ roomId: id, kind: 'created', notify: [userId], revoked: [] });
		else if (joined) this.events.emit({ roomId: id, kind: 'member-added', notify: [userId, otherId], revoked: [] });
		if (invited) this.events.emit({ roomId: id, kind: 'invited', notify: [userId, otherId], revoked: [] });
		return { room: this.get(userId, id), created };
	}

	get(userId: string, roomId: string): RoomDetail {
		const { room, role } = this.requireMember(roomId, userId);
		const members = this.db
			.prepare(
				`select m.userId, u.name, m.role, m.joinedAt, ${avatarUrlSql('user', 'm.userId')} as avatar from room_member m join user u on u.id = m.userId
				 where m.roomId = ? order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end`
			)
			.all(roomId) as Member[];
		const invited = this.db
			.prepare(
				`select i.userId, u.name, i.invitedBy, i.createdAt as invitedAt from room_invitation i join user u on u.id = i.userId
				 where i.roomId = ?`
			)
			.all(roomId) as PendingMember[];
		const bans =
			role === 'member'
				? []
				: (this.db
						.prepare('select b.userId, u.name, b.createdAt as bannedAt from room_ban b join user u on u.id = b.userId where b.roomId = ?')
						.all(roomId) as BannedPerson[]);
		// A direct room's other person is its name; a deleted account leaves the room to the one who stays.
		const name = room.kind === 'direct' ? (this.#directPeerName(roomId, userId) ?? (room.name || m.deleted_user())) : room.name;
		// Names in the order of the reader's language (SQLite's NOCASE knows only ASCII); members stay grouped by role.
		const compare = nameCollator(getLocale());
		const rank = { owner: 0, admin: 1, member: 2 };
		members.sort((a, b) => rank[a.role] - rank[b.role] || compare(a.name, b.name));
		for (const people of [invited, bans]) people.sort((a, b) => compare(a.name, b.name));
		const { notify } = this.db.prepare('select notify from room_member where roomId = ? and userId = ?').get(roomId, userId) as { notify: NotifyLevel };
		// A direct room shows the other person's picture; a group its own, if it has one.
		const avatarOf = room.kind === 'direct' ? members.find((p) => p.userId !== userId)?.avatar : this.#roomAvatar(roomId);
		return { ...room, name, avatar: avatarOf ?? null, myRole: role, myNotifications: notify, memberLimit: this.memberLimit, members, invited, bans };
	}

	#roomAvatar(roomId: string): string | null {
		return (this.db.prepare(`select ${avatarUrlSql('room', '?')} as url`).get(roomId) as { url: string | null }).url;
	}

	#kindOf(roomId: string): 'group' | 'direct' | undefined {
		return (this.db.prepare('select kind from room where id = ?').get(roomId) as { kind: 'group' | 'direct' } | undefined)?.kind;
	}

	#directPeerName(roomId: string, userId: string): string | undefined {
		const row = this.db.prepare(`select ${DIRECT_PEER_SQL} as name from room r, (select ? as userId) m where r.id = ?`).get(userId, roomId) as { name: string | null } | undefined;
		return row?.name ?? undefined;
	}

	/**
	 * Sets or removes a group room's picture (`change` does it, given the room): owners and admins only,
	 * and a direct room has none of its own (it shows the other person's). Its members' pages update.
	 */
	async changePicture<T>(userId: string, roomId: string, change: (roomId: string) => T | Promise<T>): Promise<T> {
		const { room } = this.requireManager(roomId, userId, m.err_managers_picture);
		if (room.kind === 'direct') throw forbidden(m.err_direct_no_picture());
		const result = await change(roomId);
		this.events.emit({ roomId, kind: 'renamed', notify: this.memberIds(roomId), revoked: [] });
		return result;
	}

	rename(userId: string, roomId: string, name: string): RoomDetail {
		const { room } = this.requireManager(roomId, userId, m.err_managers_rename);
		if (room.kind === 'direct') throw forbidden(m.err_direct_no_name());
		this.db.prepare('update room set name = ? where id = ?').run(name, roomId);
		this.timeline.record(roomId, 'renamed', userId, { detail: name });
		this.events.emit({ roomId, kind: 'renamed', notify: this.memberIds(roomId), revoked: [] });
		return this.get(userId, roomId);
	}

	/**
	 * Owner only; refusals are thrown at once. The room is gone when this returns; the promise
	 * settles when its files' bytes (those no other room uses) are deleted too.
	 */
	delete(userId: string, roomId: string): Promise<void> {
		const { role } = this.requireMember(roomId, userId);
		if (role !== 'owner') throw forbidden(m.err_owner_deletes());
		const members = this.memberIds(roomId);
		const deleteRow = () => void this.db.prepare('delete from room where id = ?').run(roomId);
		const bytesGone = this.#files ? this.#files.deleteRoom(roomId, deleteRow) : (deleteRow(), Promise.resolve());
		this.events.emit({ roomId, kind: 'deleted', notify: members, revoked: members, by: userId });
		return bytesGone;
	}

	/** Invites someone to a group room: they become a member when they accept. */
	addMember(userId: string, roomId: string, newMemberId: string): PendingMember {
		const { room } = this.requireManager(roomId, userId, m.err_managers_add);
		if (room.kind === 'direct') throw forbidden(m.err_direct_two());
		this.requireUsers([newMemberId]);
		if (this.role(roomId, newMemberId)) throw new ApiFailure(409, m.err_already_member(), 'userId');
		if (this.invited(roomId, newMemberId)) throw new ApiFailure(409, m.err_already_invited(), 'userId');
		if (this.banned(roomId, newMemberId)) throw new ApiFailure(409, m.err_is_banned(), 'userId');
		if (this.blocks.hasBlocked(newMemberId, userId)) throw forbidden(m.err_refuses_invitations());
		if (this.memberCount(roomId) + this.pendingCount(roomId) >= this.memberLimit) {
			throw new ApiFailure(409, m.err_room_full_invited({ count: this.memberLimit }));
		}
		this.db.prepare('insert into room_invitation (roomId, userId, invitedBy, createdAt) values (?, ?, ?, ?)').run(roomId, newMemberId, userId, this.now());
		this.events.emit({ roomId, kind: 'invited', notify: [...this.memberIds(roomId), newMemberId], revoked: [] });
		return this.get(userId, roomId).invited.find((m) => m.userId === newMemberId)!;
	}

	/** The invitations waiting for this person's answer, newest first. */
	invitationsFor(userId: string): Invitation[] {
		return this.db
			.prepare(
				`select i.roomId, r.kind, case when r.kind = 'direct' then '' else r.name end as roomName,
					i.invitedBy as inviterId, u.name as inviterName, i.createdAt as invitedAt
				 from room_invitation i join room r on r.id = i.roomId join user u on u.id = i.invitedBy
				 where i.userId = ? order by i.createdAt desc, i.roomId`
			)
			.all(userId) as Invitation[];
	}

	#requireInvitation(roomId: string, userId: string): void {
		if (!this.invited(roomId, userId)) throw new ApiFailure(404, m.err_no_invitation());
	}

	/** The invitee says yes: they become a member. */
	acceptInvitation(userId: string, roomId: string): RoomDetail {
		transaction(this.db, () => {
			this.#requireInvitation(roomId, userId);
			if (this.memberCount(roomId) >= this.memberLimit) throw new ApiFailure(409, m.err_room_full_members({ count: this.memberLimit }));
			this.db.prepare('delete from room_invitation where roomId = ? and userId = ?').run(roomId, userId);
			this.db.prepare('insert into room_member (roomId, userId, role, joinedAt) values (?, ?, ?, ?)').run(roomId, userId, 'member', this.now());
			this.touch(roomId);
			if (this.#kindOf(roomId) === 'group') this.timeline.record(roomId, 'joined', userId);
		});
		this.events.emit({ roomId, kind: 'member-added', notify: this.memberIds(roomId), revoked: [] });
		return this.get(userId, roomId);
	}

	/** The invitee says no, or someone who may (the inviter, the room's owner and admins) takes the invitation back. */
	cancelInvitation(userId: string, roomId: string, inviteeId: string): void {
		if (inviteeId === userId) this.#requireInvitation(roomId, userId);
		else {
			const { room, role } = this.requireMember(roomId, userId);
			const row = this.db.prepare('select invitedBy from room_invitation where roomId = ? and userId = ?').get(roomId, inviteeId) as { invitedBy: string } | undefined;
			if (!row) throw new ApiFailure(404, m.err_no_pending(), 'userId');
			const mayCancel = row.invitedBy === userId || room.kind === 'direct' || role !== 'member';
			if (!mayCancel) throw forbidden(m.err_cancel_who());
		}
		this.db.prepare('delete from room_invitation where roomId = ? and userId = ?').run(roomId, inviteeId);
		this.events.emit({ roomId, kind: 'invitation-ended', notify: [...this.memberIds(roomId), inviteeId], revoked: [] });
	}

	/** Removes someone (and, with `ban`, keeps them from coming back), or lets a member leave (target = actor). */
	removeMember(userId: string, roomId: string, targetId: string, options: { ban?: boolean } = {}): void {
		const { room, role } = this.requireMember(roomId, userId);
		const targetRole = this.role(roomId, targetId);
		if (!targetRole) throw new ApiFailure(404, m.err_not_member(), 'userId');
		if (targetId === userId) {
			if (role === 'owner') throw new ApiFailure(409, m.err_owner_leaves());
			if (options.ban) throw new ApiFailure(400, m.err_ban_self());
		} else {
			if (room.kind === 'direct') throw forbidden(m.err_direct_remove());
			if (role === 'member') throw forbidden(m.err_managers_remove());
			if (role === 'admin' && targetRole !== 'member') throw forbidden(m.err_admins_remove());
		}
		const before = this.memberIds(roomId);
		const pending = (this.db.prepare('select userId from room_invitation where roomId = ?').all(roomId) as { userId: string }[]).map((r) => r.userId);
		transaction(this.db, () => {
			this.db.prepare('delete from room_member where roomId = ? and userId = ?').run(roomId, targetId);
			if (options.ban) this.db.prepare('insert into room_ban (roomId, userId, bannedBy, createdAt) values (?, ?, ?, ?) on conflict do nothing').run(roomId, targetId, userId, this.now());
			// A direct room's request came from the one leaving: it goes with them.
			if (room.kind === 'direct') this.db.prepare('delete from room_invitation where roomId = ?').run(roomId);
			if (targetId === userId) this.timeline.record(roomId, 'left', userId);
			else this.timeline.record(roomId, 'removed', userId, { targetId });
		});
		const notify = room.kind === 'direct' ? [...new Set([...before, ...pending])] : before;
		this.events.emit({ roomId, kind: 'member-removed', notify, revoked: [targetId] });
	}

	/** Owners and admins let a banned person be invited again. */
	liftBan(userId: string, roomId: string, targetId: string): void {
		this.requireManager(roomId, userId, m.err_managers_lift_bans);
		const result = this.db.prepare('delete from room_ban where roomId = ? and userId = ?').run(roomId, targetId);
		if (result.changes === 0) throw new ApiFailure(404, m.err_not_banned(), 'userId');
		this.events.emit({ roomId, kind: 'ban-lifted', notify: this.memberIds(roomId), revoked: [] });
	}

	/** Owner only. Making someone owner hands ownership over: the old owner becomes an admin. */
	changeRole(userId: string, roomId: string, targetId: string, newRole: Role): Member[] {
		const { room, role } = this.requireMember(roomId, userId);
		if (role !== 'owner') throw forbidden(m.err_owner_roles());
		if (room.kind === 'direct') throw forbidden(m.err_direct_roles());
		const targetRole = this.role(roomId, targetId);
		if (!targetRole) throw new ApiFailure(404, m.err_not_member(), 'userId');
		if (targetId === userId) {
			if (newRole !== 'owner') throw new ApiFailure(409, m.err_always_owner(), 'role');
			return this.get(userId, roomId).members;
		}
		transaction(this.db, () => {
			this.db.prepare('update room_member set role = ? where roomId = ? and userId = ?').run(newRole, roomId, targetId);
			if (newRole === 'owner') this.db.prepare("update room_member set role = 'admin' where roomId = ? and userId = ?").run(roomId, userId);
		});
		this.events.emit({ roomId, kind: 'role-changed', notify: this.memberIds(roomId), revoked: [] });
		return this.get(userId, roomId).members;
	}
}
