import type { DatabaseSync } from 'node:sqlite';
import { ftsQuery, mentionedBy, queryTerms, snippetOf } from '../core/search/search-text.ts';
import { tokensAsNames } from '../core/chat/mentions.ts';
import type { SearchHit } from '../search/schemas.ts';
import { ApiFailure } from './api-failure.ts';
import { secondsUntilAllowed, SlidingWindowLimiter } from './rate-limit.ts';
import { DIRECT_PEER_SQL } from './rooms.ts';
import { m } from '../paraglide/messages.js';

export type SearchLimits = { resultLimit: number; perMinute: number };

/**
 * Full-text search of the messages in the rooms a person is a member of now (the index is
 * written by the sync service, sync/message-index.ts). Newest matches first, at most
 * `resultLimit`; searches are limited per person per minute.
 */
export class MessageSearch {
	readonly #db: DatabaseSync;
	readonly #limits: SearchLimits;
	readonly #limiter: SlidingWindowLimiter;

	constructor(db: DatabaseSync, limits: SearchLimits, now: () => number = Date.now) {
		this.#db = db;
		this.#limits = limits;
		this.#limiter = new SlidingWindowLimiter(limits.perMinute, 60_000, now);
	}

	get resultLimit(): number {
		return this.#limits.resultLimit;
	}

	/** The people who share a room with `userId` (them too), as `[id, name]`: whom their messages can mention. */
	#peopleOf(userId: string): [string, string][] {
		const rows = this.#db
			.prepare('select distinct u.id, u.name from room_member a join room_member b on b.roomId = a.roomId join user u on u.id = b.userId where a.userId = ?')
			.all(userId) as { id: string; name: string }[];
		return rows.map((r) => [r.id, r.name]);
	}

	search(userId: string, query: string): SearchHit[] {
		const terms = queryTerms(query);
		if (!terms.length) return [];
		if (!this.#limiter.take(userId)) throw new ApiFailure(429, m.err_search_too_often({ seconds: secondsUntilAllowed(this.#limiter, userId) }), 'q');
		const rows = this.#db
			.prepare(
				`select t.roomId, t.key, t.authorId, t.createdAt, t.text, coalesce(u.name, '') as authorName,
					case when r.kind = 'direct' then coalesce(${DIRECT_PEER_SQL}, r.name) else r.name end as roomName
				 from chat_search s
				 join chat_search_text t on t.id = s.rowid
				 join room_member m on m.roomId = t.roomId and m.userId = ?
				 join room r on r.id = t.roomId
				 left join user u on u.id = t.authorId
				 where chat_search match ?
				 order by t.createdAt desc, t.key desc
				 limit ?`
			)
			.all(userId, ftsQuery(terms, mentionedBy(terms, this.#peopleOf(userId))), this.#limits.resultLimit) as (Omit<SearchHit, 'snippet'> & { text: string })[];
		// Mentions read as the names of the room's members now (only members can be mentioned: no one else's name shows).
		const memberNames = this.#db.prepare('select m.userId, u.name from room_member m join user u on u.id = m.userId where m.roomId = ?');
		const rooms = new Map<string, Map<string, string>>();
		const namesIn = (roomId: string) => {
			let names = rooms.get(roomId);
			if (!names) {
				names = new Map((memberNames.all(roomId) as { userId: string; name: string }[]).map((r) => [r.userId, r.name]));
				rooms.set(roomId, names);
			}
			return names;
		};
		return rows.map(({ text, ...hit }) => {
			const named = text.includes('<@') ? tokensAsNames(text, (id) => namesIn(hit.roomId).get(id)) : text;
			// No name means a deleted account (account-deletion.ts): its messages, and a direct room with it, stay.
			return { ...hit, authorName: hit.authorName || m.deleted_user(), roomName: hit.roomName || m.deleted_user(), snippet: snippetOf(named, terms) };
		});
	}
}
