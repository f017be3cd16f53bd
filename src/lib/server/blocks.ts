import type { DatabaseSync } from 'node:sqlite';
import type { BlockedPerson } from '#lib/rooms/types.ts';
import { nameCollator } from '../i18n/text.ts';
import { getLocale } from '../paraglide/runtime.js';

/**
 * Who blocked whom. A block is one person's choice ("userId blocked blockedId"); the rooms
 * and push code ask here before letting someone invite, add, ring or message another.
 */
export class Blocks {
	readonly #db: DatabaseSync;

	constructor(db: DatabaseSync) {
		this.#db = db;
	}

	/** True when either of the two blocked the other. */
	between(a: string, b: string): boolean {
		return !!this.#db.prepare('select 1 from user_block where (userId = ? and blockedId = ?) or (userId = ? and blockedId = ?)').get(a, b, b, a);
	}

	hasBlocked(userId: string, otherId: string): boolean {
		return !!this.#db.prepare('select 1 from user_block where userId = ? and blockedId = ?').get(userId, otherId);
	}

	/** The people among `userIds` who have not blocked `actorId`, in the same order. */
	notBlocking(actorId: string, userIds: string[]): string[] {
		if (!userIds.length) return [];
		const blockers = new Set(
			(this.#db.prepare('select userId from user_block where blockedId = ?').all(actorId) as { userId: string }[]).map((r) => r.userId)
		);
		return userIds.filter((id) => !blockers.has(id));
	}

	/** Returns false when it was already in place. */
	add(userId: string, blockedId: string, now: number): boolean {
		return this.#db.prepare('insert into user_block (userId, blockedId, createdAt) values (?, ?, ?) on conflict do nothing').run(userId, blockedId, now).changes > 0;
	}

	remove(userId: string, blockedId: string): boolean {
		return this.#db.prepare('delete from user_block where userId = ? and blockedId = ?').run(userId, blockedId).changes > 0;
	}

	/** The people this person blocked, by name in the reader's language. */
	list(userId: string): BlockedPerson[] {
		const rows = this.#db
			.prepare(
				`select b.blockedId as userId, u.name, b.createdAt as blockedAt from user_block b join user u on u.id = b.blockedId
				 where b.userId = ?`
			)
			.all(userId) as BlockedPerson[];
		const compare = nameCollator(getLocale());
		return rows.sort((a, b) => compare(a.name, b.name));
	}
}
