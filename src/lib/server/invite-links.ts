import { randomBytes } from 'node:crypto';
import type { CreateInviteBody } from '#lib/rooms/schemas.ts';
import type { Invite, InviteInfo } from '#lib/rooms/types.ts';
import { ApiFailure, forbidden } from './api-failure.ts';
import { transaction } from './db.ts';
import type { RoomAccess } from './room-access.ts';
import { m } from '../paraglide/messages.js';

export const DEFAULT_INVITE_HOURS = 24 * 7;

type InviteRow = { token: string; roomId: string; createdBy: string; createdAt: number; expiresAt: number; maxUses: number | null; useCount: number; revokedAt: number | null };

const newInviteToken = () => randomBytes(24).toString('base64url');

/**
 * Invite links: owners and admins make them (with an expiry and a use limit), anyone signed
 * in can see where a link leads, and following one joins the room unless it was revoked,
 * expired, used up, the room is full or the follower is banned.
 */
export class InviteLinks {
	readonly #access: RoomAccess;

	constructor(access: RoomAccess) {
		this.#access = access;
	}

	create(userId: string, roomId: string, input: CreateInviteBody, origin: string): Invite {
		const { room } = this.#access.requireManager(roomId, userId, m.err_managers_create_invites);
		if (room.kind === 'direct') throw forbidden(m.err_direct_no_invites());
		const now = this.#access.now();
		const token = newInviteToken();
		const expiresAt = now + Math.round((input.expiresInHours ?? DEFAULT_INVITE_HOURS) * 3600 * 1000);
		this.#access.db
			.prepare('insert into room_invite (token, roomId, createdBy, createdAt, expiresAt, maxUses) values (?, ?, ?, ?, ?, ?)')
			.run(token, roomId, userId, now, expiresAt, input.maxUses ?? null);
		return { token, url: `${origin}/invite/${token}`, createdBy: userId, createdAt: now, expiresAt, maxUses: input.maxUses ?? null, useCount: 0 };
	}

	/** The invites that can still be used, for the settings page. */
	list(userId: string, roomId: string, origin: string): Invite[] {
		this.#access.requireManager(roomId, userId, m.err_managers_see_invites);
		const rows = this.#access.db
			.prepare(
				`select token, createdBy, createdAt, expiresAt, maxUses, useCount from room_invite
				 where roomId = ? and revokedAt is null and expiresAt > ? and (maxUses is null or useCount < maxUses)
				 order by createdAt desc`
			)
			.all(roomId, this.#access.now()) as Omit<Invite, 'url'>[];
		return rows.map((r) => ({ ...r, url: `${origin}/invite/${r.token}` }));
	}

	revoke(userId: string, roomId: string, token: string): void {
		this.#access.requireManager(roomId, userId, m.err_managers_revoke_invites);
		const result = this.#access.db.prepare('update room_invite set revokedAt = ? where token = ? and roomId = ? and revokedAt is null').run(this.#access.now(), token, roomId);
		if (result.changes === 0) throw new ApiFailure(404, m.err_no_invite_link());
	}

	#row(token: string): InviteRow {
		const row = this.#access.db.prepare('select * from room_invite where token = ?').get(token) as InviteRow | undefined;
		if (!row) throw new ApiFailure(404, m.err_invite_missing());
		return row;
	}

	#problem(invite: InviteRow, userId: string): InviteInfo['reason'] {
		if (this.#access.banned(invite.roomId, userId)) return 'banned';
		if (invite.revokedAt !== null) return 'revoked';
		if (invite.expiresAt <= this.#access.now()) return 'expired';
		if (invite.maxUses !== null && invite.useCount >= invite.maxUses) return 'used-up';
		if (this.#access.memberCount(invite.roomId) >= this.#access.memberLimit) return 'room-full';
		return undefined;
	}

	info(userId: string, token: string): InviteInfo {
		const invite = this.#row(token);
		const room = this.#access.db.prepare('select name from room where id = ?').get(invite.roomId) as { name: string };
		const inviter = this.#access.db.prepare('select name from user where id = ?').get(invite.createdBy) as { name: string } | undefined;
		const reason = this.#problem(invite, userId);
		const alreadyMember = this.#access.role(invite.roomId, userId) !== undefined;
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
		return transaction(this.#access.db, () => {
			const invite = this.#row(token);
			if (this.#access.role(invite.roomId, userId)) return { roomId: invite.roomId, alreadyMember: true };
			const reason = this.#problem(invite, userId);
			const messages: Record<NonNullable<InviteInfo['reason']>, () => string> = {
				revoked: m.invite_was_revoked,
				expired: m.invite_expired,
				'used-up': m.invite_used_up,
				'room-full': () => m.err_room_full_members({ count: this.#access.memberLimit }),
				banned: m.invite_banned
			};
			if (reason) throw new ApiFailure(reason === 'banned' ? 403 : reason === 'room-full' ? 409 : 410, messages[reason]());
			const now = this.#access.now();
			// Following a link is consent: a pending invitation to the room is answered by it.
			this.#access.db.prepare('delete from room_invitation where roomId = ? and userId = ?').run(invite.roomId, userId);
			this.#access.db.prepare('insert into room_member (roomId, userId, role, joinedAt) values (?, ?, ?, ?)').run(invite.roomId, userId, 'member', now);
			this.#access.db.prepare('update room_invite set useCount = useCount + 1 where token = ?').run(token);
			this.#access.touch(invite.roomId);
			this.#access.timeline.record(invite.roomId, 'joined', userId);
			this.#access.events.emit({ roomId: invite.roomId, kind: 'member-added', notify: this.#access.memberIds(invite.roomId), revoked: [] });
			return { roomId: invite.roomId, alreadyMember: false };
		});
	}
}
