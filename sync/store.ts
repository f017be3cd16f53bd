import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { FileClaim, StoredFile } from '../src/lib/core/chat/validate-update.ts';
import { transaction } from '../src/lib/server/db.ts';
import { nextPeriod, parseDocumentName, periodStart } from '../src/lib/core/chat/period.ts';
import { searchableText } from '../src/lib/core/search/search-text.ts';

/** A message as the indexes keep it (sync/message-index.ts): `text` for full-text search, never logged; who it mentions. */
export type IndexedMessage = { key: string; authorId: string; createdAt: number; text: string; mentions: string[] };
export type StoredUpdate = { seq: number; data: Uint8Array };
export type StoredRoom = { snapshot: Uint8Array | null; snapshotSeq: number; updates: StoredUpdate[]; lastSeq: number; clients: Map<number, string> };

/** The UTC day a time falls on, as days since 1970 (the unit of the daily growth cap). */
export const dayOf = (time: number) => Math.floor(time / 86_400_000);

/** The room and period a document name stands for (see period.ts); the store keeps each document apart. */
function docOf(name: string): { roomId: string; period: string } {
	const parsed = parseDocumentName(name);
	if (!parsed) throw new Error(`"${name}" is not the name of a room document`);
	return parsed;
}

/** The search rows of a document: all of its room's for a main document, those dated in the month for a month's. */
function searchScope(name: string): [string, (string | number)[]] {
	const { roomId, period } = docOf(name);
	if (!period) return ['roomId = ?', [roomId]];
	return ['roomId = ? and createdAt >= ? and createdAt < ?', [roomId, periodStart(period), periodStart(nextPeriod(period))]];
}

/**
 * SQLite persistence of room documents: append-only updates, compacted into snapshots. A document
 * is named as period.ts says: the room id for its main document, `<roomId>/<period>` for a month.
 * Daily usage and files belong to the room, whichever of its documents they were written to.
 */
export class SyncStore {
	readonly #db: DatabaseSync;
	readonly #append: StatementSync;
	readonly #bind: StatementSync;
	readonly #usage: StatementSync;
	readonly #addUsage: StatementSync;
	readonly #file: StatementSync;
	readonly #claim: StatementSync;
	readonly #member: StatementSync;
	#pending: { doc: string; write: () => void; done: (error?: unknown) => void }[] = [];

	constructor(db: DatabaseSync) {
		this.#db = db;
		this.#append = db.prepare('insert into sync_update (roomId, period, seq, data) values (?, ?, ?, ?)');
		this.#bind = db.prepare('insert or ignore into sync_client (roomId, period, client, userId) values (?, ?, ?, ?)');
		this.#usage = db.prepare('select bytes from sync_usage where roomId = ? and userId = ? and day = ?');
		this.#file = db.prepare('select uploaderId, hash, size, type, name, width, height, thumbHash, messageKey from file where id = ? and roomId = ?');
		this.#member = db.prepare('select 1 from room_member where roomId = ? and userId = ?');
		this.#claim = db.prepare('update file set messageKey = ? where id = ? and roomId = ? and messageKey is null');
		this.#addUsage = db.prepare('insert into sync_usage (roomId, userId, day, bytes) values (?, ?, ?, ?) on conflict do update set bytes = bytes + excluded.bytes');
	}

	load(name: string): StoredRoom {
		const { roomId, period } = docOf(name);
		const snap = this.#db.prepare('select seq, data from sync_snapshot where roomId = ? and period = ?').get(roomId, period) as StoredUpdate | undefined;
		const updates = this.#db.prepare('select seq, data from sync_update where roomId = ? and period = ? and seq > ? order by seq').all(roomId, period, snap?.seq ?? 0) as StoredUpdate[];
		const clients = new Map(
			(this.#db.prepare('select client, userId from sync_client where roomId = ? and period = ?').all(roomId, period) as { client: number; userId: string }[]).map((r) => [r.client, r.userId])
		);
		// Quarantined updates keep their seq, so new ones must come after them too.
		const { maxSeq } = this.#db.prepare('select max(seq) as maxSeq from sync_quarantine where roomId = ? and period = ?').get(roomId, period) as { maxSeq: number | null };
		const lastSeq = Math.max(updates.at(-1)?.seq ?? 0, snap?.seq ?? 0, maxSeq ?? 0);
		return { snapshot: snap?.data ?? null, snapshotSeq: snap?.seq ?? 0, updates, lastSeq, clients };
	}

	/**
	 * Stores an update that has applied, the client ids it bound, the files its messages attach and
	 * what it adds to its author's daily usage, together with the other writes of this turn of the
	 * event loop: one transaction per turn rather than per update. `done` runs once it is stored (no
	 * error) or could not be (the error); nothing of a failed write is kept.
	 */
	appendSoon(doc: string, seq: number, update: Uint8Array, author: { userId: string; day: number; newClients: number[]; claims?: FileClaim[] }, done: (error?: unknown) => void): void {
		this.#pending.push({ doc, write: () => this.#write(doc, seq, update, author), done });
		if (this.#pending.length === 1) setImmediate(() => this.flush());
	}

	/** Writes what `appendSoon` queued now (also before the store is used for anything that must see it). */
	flush(): void {
		const batch = this.#pending;
		if (!batch.length) return;
		this.#pending = [];
		try {
			transaction(this.#db, () => {
				for (const op of batch) op.write();
			});
		} catch {
			// One write failed and took the others' transaction with it: each again on its own, so only it
			// fails, and the later writes of its document (they may build on it). Failures are told first, so a
			// document reloads what is stored before its stored writes are acknowledged.
			const failed = new Map<string, unknown>();
			const outcomes = batch.map((op) => {
				let error = failed.get(op.doc);
				if (error === undefined) {
					try {
						transaction(this.#db, op.write);
					} catch (caught) {
						error = caught ?? new Error('write failed');
						failed.set(op.doc, error);
					}
				}
				return { op, error };
			});
			for (const { op, error } of outcomes) if (error !== undefined) op.done(error);
			for (const { op, error } of outcomes) if (error === undefined) op.done();
			return;
		}
		for (const op of batch) op.done();
	}

	#write(doc: string, seq: number, update: Uint8Array, author: { userId: string; day: number; newClients: number[]; claims?: FileClaim[] }): void {
		const { roomId, period } = docOf(doc);
		this.#append.run(roomId, period, seq, update);
		for (const client of author.newClients) this.#bind.run(roomId, period, client, author.userId);
		for (const claim of author.claims ?? []) this.#claim.run(claim.messageKey, claim.fileId, roomId);
		this.#addUsage.run(roomId, author.userId, author.day, update.byteLength);
	}

	/** A file posted to the room, as the rules for attachments need it; undefined when the room has no such file. */
	file(roomId: string, fileId: string): StoredFile | undefined {
		return this.#file.get(fileId, roomId) as StoredFile | undefined;
	}

	/** Whether a person is a member of the room now (only members can be mentioned). */
	isMember(roomId: string, userId: string): boolean {
		return this.#member.get(roomId, userId) !== undefined;
	}

	/** Bytes a person added to a room's document on a day. */
	usage(roomId: string, userId: string, day: number): number {
		return (this.#usage.get(roomId, userId, day) as { bytes: number } | undefined)?.bytes ?? 0;
	}

	/** Moves a stored update that does not apply out of the room's log, keeping it for inspection. */
	quarantine(doc: string, seq: number, reason: string, snapshot = false): void {
		const { roomId, period } = docOf(doc);
		transaction(this.#db, () => {
			const table = snapshot ? 'sync_snapshot' : 'sync_update';
			const where = `roomId = ? and period = ?${snapshot ? '' : ' and seq = ?'}`;
			const keys = snapshot ? [roomId, period] : [roomId, period, seq];
			const row = this.#db.prepare(`select data from ${table} where ${where}`).get(...keys) as { data: Uint8Array } | undefined;
			if (!row) return;
			this.#db.prepare('insert or replace into sync_quarantine (roomId, period, seq, data, reason, at) values (?, ?, ?, ?, ?, ?)').run(roomId, period, snapshot ? -seq : seq, row.data, reason, Date.now());
			this.#db.prepare(`delete from ${table} where ${where}`).run(...keys);
		});
	}

	/** Quarantined updates of a document (for tests and for whoever investigates). */
	quarantined(doc: string): { seq: number; reason: string }[] {
		const { roomId, period } = docOf(doc);
		return this.#db.prepare('select seq, reason from sync_quarantine where roomId = ? and period = ? order by seq').all(roomId, period) as { seq: number; reason: string }[];
	}

	/** Replaces the updates up to `seq` by a snapshot of the document, atomically. */
	compact(doc: string, seq: number, snapshot: Uint8Array): void {
		const { roomId, period } = docOf(doc);
		transaction(this.#db, () => {
			this.#db
				.prepare('insert into sync_snapshot (roomId, period, seq, data) values (?, ?, ?, ?) on conflict (roomId, period) do update set seq = excluded.seq, data = excluded.data')
				.run(roomId, period, seq, snapshot);
			this.#db.prepare('delete from sync_update where roomId = ? and period = ? and seq <= ?').run(roomId, period, seq);
		});
	}

	/** How many messages the index has for a document (to tell whether it lags behind the document). */
	indexedCount(doc: string): number {
		const { roomId, period } = docOf(doc);
		return (this.#db.prepare('select count(*) as n from chat_message where roomId = ? and period = ?').get(roomId, period) as { n: number }).n;
	}

	/** Replaces a document's part of its room's index with exactly these messages. */
	rebuildIndex(doc: string, messages: IndexedMessage[]): void {
		const { roomId, period } = docOf(doc);
		transaction(this.#db, () => {
			this.#db.prepare('delete from chat_mention where roomId = ? and key in (select key from chat_message where roomId = ? and period = ?)').run(roomId, roomId, period);
			this.#db.prepare('delete from chat_message where roomId = ? and period = ?').run(roomId, period);
			const insert = this.#db.prepare('insert into chat_message (roomId, period, key, authorId, createdAt) values (?, ?, ?, ?, ?)');
			const mention = this.#mentionWriter(roomId);
			for (const m of messages) {
				insert.run(roomId, period, m.key, m.authorId, m.createdAt);
				mention(m);
			}
		});
	}

	/** How many messages the search index has for a document (a month's: those dated in it). */
	searchIndexedCount(doc: string): number {
		const [where, args] = searchScope(doc);
		return (this.#db.prepare(`select count(*) as n from chat_search_text where ${where}`).get(...args) as { n: number }).n;
	}

	/** Replaces a document's part of its room's search index with exactly these messages. */
	rebuildSearchIndex(doc: string, messages: IndexedMessage[]): void {
		const { roomId } = docOf(doc);
		const [where, args] = searchScope(doc);
		transaction(this.#db, () => {
			this.#db.prepare(`delete from chat_search_text where ${where}`).run(...args);
			const put = this.#searchWriter();
			for (const m of messages) put(roomId, m);
		});
	}

	/** Writes a message's text and folded words for search, replacing what it had. */
	#searchWriter(): (roomId: string, message: IndexedMessage) => void {
		const upsert = this.#db.prepare(
			'insert into chat_search_text (roomId, key, authorId, createdAt, text) values (?, ?, ?, ?, ?) on conflict (roomId, key) do update set text = excluded.text returning id'
		);
		const unindex = this.#db.prepare('delete from chat_search where rowid = ?');
		const index = this.#db.prepare('insert into chat_search (rowid, words) values (?, ?)');
		return (roomId, m) => {
			const { id } = upsert.get(roomId, m.key, m.authorId, m.createdAt, m.text) as { id: number };
			unindex.run(id);
			index.run(id, searchableText(m.text));
		};
	}

	/** Writes who a message mentions, replacing what it had (an edit may add or take away mentions). */
	#mentionWriter(roomId: string): (message: IndexedMessage) => void {
		const clear = this.#db.prepare('delete from chat_mention where roomId = ? and key = ?');
		const insert = this.#db.prepare('insert or ignore into chat_mention (roomId, key, userId, createdAt) values (?, ?, ?, ?)');
		return (m) => {
			clear.run(roomId, m.key);
			for (const userId of m.mentions) insert.run(roomId, m.key, userId, m.createdAt);
		};
	}

	/** Keeps the per-message index (unread counts, last activity, mentions) and the search index in step with the document. */
	indexMessages(doc: string, added: IndexedMessage[], removed: string[], edited: IndexedMessage[] = []): void {
		const { roomId, period } = docOf(doc);
		const insert = this.#db.prepare('insert or ignore into chat_message (roomId, period, key, authorId, createdAt) values (?, ?, ?, ?, ?)');
		const remove = this.#db.prepare('delete from chat_message where roomId = ? and key = ?');
		const unsearch = this.#db.prepare('delete from chat_search_text where roomId = ? and key = ?');
		const unmention = this.#db.prepare('delete from chat_mention where roomId = ? and key = ?');
		const search = this.#searchWriter();
		const mention = this.#mentionWriter(roomId);
		transaction(this.#db, () => {
			for (const m of added) {
				insert.run(roomId, period, m.key, m.authorId, m.createdAt);
				search(roomId, m);
				mention(m);
			}
			for (const m of edited) {
				search(roomId, m);
				mention(m);
			}
			for (const key of removed) {
				remove.run(roomId, key);
				unsearch.run(roomId, key);
				unmention.run(roomId, key);
			}
			if (added.length) {
				const latest = Math.max(...added.map((m) => m.createdAt));
				this.#db.prepare('update room set lastActivityAt = max(lastActivityAt, ?) where id = ?').run(Math.min(latest, Date.now()), roomId);
			}
		});
	}
}
