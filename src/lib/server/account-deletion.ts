import type { DatabaseSync } from 'node:sqlite';
import { APIError } from 'better-auth/api';
import { transaction } from './db.ts';
import type { RoomChange, RoomEvents } from './events.ts';
import { m } from '../paraglide/messages.js';

/** The part of Files that deleting an account uses (files/files.ts). */
export type AccountFiles = {
	deleteRoom(roomId: string, deleteRow: () => void): Promise<void>;
	deleteUploads(userId: string): Promise<number>;
};

type Membership = { roomId: string; kind: 'group' | 'direct'; role: 'owner' | 'admin' | 'member' };

/**
 * What happens to a person's part of Parley when they delete their account, before better-auth
 * deletes the user row (whose cascades take sessions, memberships, invitations, push subscriptions,
 * blocks and invite links).
 *
 * Their messages stay: a room's document is on every member's device and cannot be rewritten, so
 * the others keep the conversation and see its author as "Deleted user". The files they posted are
 * deleted, bytes and all. A room they leave empty is deleted; a group room they owned passes to its
 * longest-standing admin, else its longest-standing member. The only administrator of the instance
 * cannot delete their account (no one could administer it after them).
 */
export class AccountDeletion {
	readonly #db: DatabaseSync;
	readonly #events: RoomEvents;
	readonly #files: AccountFiles;
	readonly #isLastAdmin: (userId: string) => boolean;

	constructor(options: { db: DatabaseSync; events: RoomEvents; files: AccountFiles; isLastAdmin: (userId: string) => boolean }) {
		this.#db = options.db;
		this.#events = options.events;
		this.#files = options.files;
		this.#isLastAdmin = options.isLastAdmin;
	}

	/** Settles the person's rooms and files; throws (refusing the deletion) for the last administrator. */
	async prepare(userId: string): Promise<void> {
		if (this.#isLastAdmin(userId)) {
			throw new APIError('FORBIDDEN', { message: m.err_last_admin_deletes(), code: 'LAST_ADMIN' });
		}
		const changes: RoomChange[] = [];
		const emptied: { roomId: string; notify: string[] }[] = [];
		transaction(this.#db, () => {
			const memberships = this.#db.prepare('select m.roomId, r.kind, m.role from room_member m join room r on r.id = m.roomId where m.userId = ?').all(userId) as Membership[];
			for (const { roomId, role } of memberships) {
				const others = this.#othersByStanding(roomId, userId);
				const invited = (this.#db.prepare('select userId from room_invitation where roomId = ? and userId != ?').all(roomId, userId) as { userId: string }[]).map((r) => r.userId);
				if (others.length === 0) {
					emptied.push({ roomId, notify: [userId, ...invited] });
					continue;
				}
				if (role === 'owner') this.#db.prepare("update room_member set role = 'owner' where roomId = ? and userId = ?").run(roomId, others[0]);
				this.#db.prepare('delete from room_member where roomId = ? and userId = ?').run(roomId, userId);
				changes.push({ roomId, kind: 'member-removed', notify: [...others, ...invited], revoked: [userId] });
			}
			// room.createdBy has no cascade: rooms they made and still stand pass to their owner now (or any member).
			const made = this.#db.prepare('select id from room where createdBy = ?').all(userId) as { id: string }[];
			for (const { id } of made) {
				if (emptied.some((e) => e.roomId === id)) continue;
				const heir = this.#othersByStanding(id, userId)[0];
				if (heir) this.#db.prepare('update room set createdBy = ? where id = ?').run(heir, id);
				else emptied.push({ roomId: id, notify: [userId] });
			}
		});
		const bytesGone: Promise<unknown>[] = [];
		for (const { roomId, notify } of emptied) {
			bytesGone.push(this.#files.deleteRoom(roomId, () => void this.#db.prepare('delete from room where id = ?').run(roomId)));
			changes.push({ roomId, kind: 'deleted', notify, revoked: notify });
		}
		bytesGone.push(this.#files.deleteUploads(userId));
		for (const change of changes) this.#events.emit(change);
		await Promise.all(bytesGone);
	}

	/** The other members, owner first, then admins, then members, each by who joined first. */
	#othersByStanding(roomId: string, userId: string): string[] {
		return (
			this.#db
				.prepare(
					`select userId from room_member where roomId = ? and userId != ?
					 order by case role when 'owner' then 0 when 'admin' then 1 else 2 end, joinedAt, userId`
				)
				.all(roomId, userId) as { userId: string }[]
		).map((r) => r.userId);
	}
}
