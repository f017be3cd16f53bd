import type { UserResult } from '#lib/rooms/types.ts';
import { ApiFailure } from './api-failure.ts';
import { m } from '../paraglide/messages.js';
import { transaction } from './db.ts';
import type { RoomAccess } from './room-access.ts';
import { foldName, nameCollator } from '../i18n/text.ts';
import { getLocale } from '../paraglide/runtime.js';

const SEARCH_LIMIT = 20;

/** Finding people, and blocking them: what one person decides about another, across rooms. */
export class People {
	readonly #access: RoomAccess;

	constructor(access: RoomAccess) {
		this.#access = access;
		// SQLite's LIKE and NOCASE fold only ASCII: names are matched folded in every script ("анна" finds "Анна").
		access.db.function('parley_fold', { deterministic: true }, (value) => (typeof value === 'string' ? foldName(value) : value));
	}

	/**
	 * Blocks someone: they can no longer invite, add, ring or message this person. Their
	 * pending invitations to this person are withdrawn, and they lose the direct room between them.
	 */
	block(userId: string, otherId: string): void {
		if (otherId === userId) throw new ApiFailure(400, m.err_block_self(), 'userId');
		this.#access.requireUsers([otherId]);
		const key = [userId, otherId].sort().join(' ');
		const { withdrawn, direct } = transaction(this.#access.db, () => {
			this.#access.blocks.add(userId, otherId, this.#access.now());
			const withdrawn = (this.#access.db.prepare('select roomId from room_invitation where userId = ? and invitedBy = ?').all(userId, otherId) as { roomId: string }[]).map((r) => r.roomId);
			this.#access.db.prepare('delete from room_invitation where userId = ? and invitedBy = ?').run(userId, otherId);
			const room = this.#access.db.prepare('select id from room where directKey = ?').get(key) as { id: string } | undefined;
			if (room) {
				this.#access.db.prepare('delete from room_member where roomId = ? and userId = ?').run(room.id, otherId);
				this.#access.db.prepare('delete from room_invitation where roomId = ?').run(room.id);
			}
			return { withdrawn, direct: room?.id };
		});
		for (const roomId of withdrawn) this.#access.events.emit({ roomId, kind: 'invitation-ended', notify: [...this.#access.memberIds(roomId), userId], revoked: [] });
		if (direct) this.#access.events.emit({ roomId: direct, kind: 'member-removed', notify: [userId, otherId], revoked: [otherId] });
	}

	unblock(userId: string, otherId: string): void {
		if (!this.#access.blocks.remove(userId, otherId)) throw new ApiFailure(404, m.err_not_blocked(), 'userId');
	}

	/** People by name prefix (of the name or any word in it), or by exact email. Never lists emails otherwise. */
	search(userId: string, query: string): UserResult[] {
		if (query.includes('@')) {
			const row = this.#access.db.prepare('select id, name, email from user where email = ? collate nocase and id != ?').get(query.toLowerCase(), userId) as UserResult | undefined;
			return row && !this.#access.blocks.between(userId, row.id) ? [row] : [];
		}
		const escaped = foldName(query).replace(/[\\%_]/g, (c) => '\\' + c);
		const found = this.#access.db
			.prepare(
				`select id, name from user
				 where id != ? and (parley_fold(name) like ? escape '\\' or parley_fold(name) like ? escape '\\')
					and id not in (select blockedId from user_block where userId = ? union select userId from user_block where blockedId = ?)
				 order by parley_fold(name), id limit ?`
			)
			.all(userId, `${escaped}%`, `% ${escaped}%`, userId, userId, SEARCH_LIMIT) as UserResult[];
		const compare = nameCollator(getLocale());
		return found.sort((a, b) => compare(a.name, b.name));
	}
}
