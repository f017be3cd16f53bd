import type { DatabaseSync } from 'node:sqlite';
import type { TimelineEvent, TimelineKind } from '#lib/rooms/types.ts';
import { m } from '../paraglide/messages.js';

/** Most events a room's page carries: the newest, which is what its timeline can show beside the messages it has. */
export const TIMELINE_LIMIT = 500;

type Row = { id: number; at: number; kind: TimelineKind; actorId: string | null; actorName: string | null; targetId: string | null; targetName: string | null; detail: string | null };

/**
 * A room's events besides its messages, as its timeline shows them between the messages: kept in
 * SQLite by the server, which alone decides what happened (a client cannot write one). Calls are
 * told by the sync service's count of who is in them: started when the first person joins, ended
 * with their length when the last one leaves.
 */
export class Timeline {
	readonly #db: DatabaseSync;
	readonly #now: () => number;

	constructor(db: DatabaseSync, now: () => number = Date.now) {
		this.#db = db;
		this.#now = now;
	}

	record(roomId: string, kind: TimelineKind, actorId: string | null, extra: { targetId?: string; detail?: string } = {}): void {
		this.#db
			.prepare('insert into room_event (roomId, at, kind, actorId, targetId, detail) values (?, ?, ?, ?, ?, ?)')
			.run(roomId, this.#now(), kind, actorId, extra.targetId ?? null, extra.detail ?? null);
	}

	/** The room's newest events (at most `limit`), oldest first, with the names people have now. */
	list(roomId: string, limit = TIMELINE_LIMIT): TimelineEvent[] {
		const rows = this.#db
			.prepare(
				`select e.id, e.at, e.kind, e.actorId, a.name as actorName, e.targetId, t.name as targetName, e.detail
				 from room_event e left join user a on a.id = e.actorId left join user t on t.id = e.targetId
				 where e.roomId = ? order by e.id desc limit ?`
			)
			.all(roomId, limit) as Row[];
		return rows.reverse().map((row) => ({
			id: row.id,
			at: row.at,
			kind: row.kind,
			actorId: row.actorId,
			actorName: row.actorId ? (row.actorName ?? m.deleted_user()) : '',
			targetId: row.targetId,
			targetName: row.targetId ? (row.targetName ?? m.deleted_user()) : '',
			detail: row.detail
		}));
	}

	/**
	 * Who is in the room's call changed: the first one in starts a call, the last one out ends it.
	 * Returns whether that made an event. A call that was going on when the server stopped goes on if
	 * people are back in it, and ends when they leave (or at the next start, `endAbandonedCalls`).
	 */
	callChanged(roomId: string, users: ReadonlySet<string>): boolean {
		const open = this.#openCall(roomId);
		if (users.size > 0 && !open) {
			this.record(roomId, 'call-started', [...users][0]);
			return true;
		}
		if (users.size === 0 && open) {
			this.record(roomId, 'call-ended', null, { detail: String(Math.max(0, this.#now() - open.at)) });
			return true;
		}
		return false;
	}

	/** At start, with nobody connected yet: every call still open ended when the server stopped, as far as can be known now. */
	endAbandonedCalls(isEmpty: (roomId: string) => boolean = () => true): string[] {
		const open = this.#db
			.prepare(
				`select e.roomId, e.at from room_event e
				 where e.kind = 'call-started' and e.id = (select max(l.id) from room_event l where l.roomId = e.roomId and l.kind in ('call-started', 'call-ended'))`
			)
			.all() as { roomId: string; at: number }[];
		const ended = open.filter(({ roomId }) => isEmpty(roomId));
		for (const { roomId, at } of ended) this.record(roomId, 'call-ended', null, { detail: String(Math.max(0, this.#now() - at)) });
		return ended.map(({ roomId }) => roomId);
	}

	#openCall(roomId: string): { at: number } | undefined {
		const last = this.#db
			.prepare("select kind, at from room_event where roomId = ? and kind in ('call-started', 'call-ended') order by id desc limit 1")
			.get(roomId) as { kind: TimelineKind; at: number } | undefined;
		return last?.kind === 'call-started' ? { at: last.at } : undefined;
	}
}
