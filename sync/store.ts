import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { FileClaim, StoredFile } from '../src/lib/core/chat/validate-update.ts';
import { transaction } from '../src/lib/server/db.ts';
import { searchableText } from '../src/lib/core/search/search-text.ts';

/** A message as the indexes keep it (sync/message-index.ts): `text` for full-text search, never logged. */
export type IndexedMessage = { key: string; authorId: string; createdAt: number; text: string };
export type StoredUpdate = { seq: number; data: Uint8Array };
export type StoredRoom = { snapshot: Uint8Array | null; snapshotSeq: number; updates: StoredUpdate[]; lastSeq: number; clients: Map<number, string> };

/** The UTC day a time falls on, as days since 1970 (the unit of the daily growth cap). */
export const dayOf = (time: number) => Math.floor(time / 86_400_000);

/** SQLite persistence of room documents: append-only updates, compacted into snapshots. */
export class SyncStore {
	readonly #db: DatabaseSync;
	readonly #append: StatementSync;
	readonly #bind: StatementSync;
	readonly #usage: StatementSync;
	readonly #addUsage: StatementSync;
	readonly #file: StatementSync;
	readonly #claim: StatementSync;
	#pending: { roomId: string; write: () => void; done: (error?: unknown) => void }[] = [];

	constructor(db: DatabaseSync) {
		this.#db = db;
		this.#append = db.prepare('insert into sync_update (roomId, seq, data) values (?, ?, ?)');
		this.#bind = db.prepare('insert or ignore into sync_client (roomId, client, userId) values (?, ?, ?)');
		this.#usage = db.prepare('select bytes from sync_usage where roomId = ? and userId = ? and day = ?');
		this.#file = db.prepare('select uploaderId, hash, size, type, name, width, height, thumbHash, messageKey from file where id = ? and roomId = ?');
		this.#claim = db.prepare('update file set messageKey = ? where id = ? and roomId = ? and messageKey is null');
		this.#addUsage = db.prepare('insert into sync_usage (roomId, userId, day, bytes) values (?, ?, ?, ?) on conflict do update set bytes = bytes + excluded.bytes');
	}

	load(roomId: string): StoredRoom {
		const snap = this.#db.prepare('select seq, data from sync_snapshot where roomId = ?').get(roomId) as StoredUpdate | undefined;
		const updates = this.#db.prepare('select seq, data from sync_update where roomId = ? and seq > ? order by seq').all(roomId, snap?.seq ?? 0) as StoredUpdate[];
		const clients = new Map(
			(this.#db.prepare('select client, userId from sync_client where roomId = ?').all(roomId) as { client: number; userId: string }[]).map((r) => [r.client, r.userId])
		);
		// Quarantined updates keep their seq, so new ones must come after them too.
		const { maxSeq } = this.#db.prepare('select max(seq) as maxSeq from sync_quarantine where roomId = ?').get(roomId) as { maxSeq: number | null };
		const lastSeq = Math.max(updates.at(-1)?.seq ?? 0, snap?.seq ?? 0, maxSeq ?? 0);
		return { snapshot: snap?.data ?? null, snapshotSeq: snap?.seq ?? 0, updates, lastSeq, clients };
	}

	/**
	 * Stores an update that has applied, the client ids it bound, the files its messages attach and
	 * what it adds to its author's daily usage, together with the other writes of this turn of the
	 * event loop: one transaction per turn rather than per update. `done` runs once it is stored (no
	 * error) or could not be (the error); nothing of a failed write is kept.
	 */
	appendSoon(roomId: string, seq: number, update: Uint8Array, author: { userId: string; day: number; newClients: number[]; claims?: FileClaim[] }, done: (error?: unknown) => void): void {
		this.#pending.push({ roomId, write: () => this.#write(roomId, seq, update, author), done });
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
			// fails, and the later writes of its room (they may build on it). Failures are told first, so a
			// room reloads what is stored before its stored writes are acknowledged.
			const failed = new Map<string, unknown>();
			const outcomes = batch.map((op) => {
				let error = failed.get(op.roomId);
				if (error === undefined) {
					try {
						transaction(this.#db, op.write);
					} catch (caught) {
						error = caught ?? new Error('write failed');
						failed.set(op.roomId, error);
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

	#write(roomId: string, seq: number, update: Uint8Array, author: { userId: string; day: number; newClients: number[]; claims?: FileClaim[] }): void {
		this.#append.run(roomId, seq, update);
		for (const client of author.newClients) this.#bind.run(roomId, client, author.userId);
		for (const claim of author.claims ?? []) this.#claim.run(claim.messageKey, claim.fileId, roomId);
		this.#addUsage.run(roomId, author.userId, author.day, update.byteLength);
	}

	/** A file posted to the room, as the rules for attachments need it; undefined when the room has no such file. */
	file(roomId: string, fileId: string): StoredFile | undefined {
		return this.#file.get(fileId, roomId) as StoredFile | undefined;
	}

	/** Bytes a person added to a room's document on a day. */
	usage(roomId: string, userId: string, day: number): number {
		return (this.#usage.get(roomId, userId, day) as { bytes: number } | undefined)?.bytes ?? 0;
	}

	/** Moves a stored update that does not apply out of the room's log, keeping it for inspection. */
	quarantine(roomId: string, seq: number, reason: string, snapshot = false): void {
		transaction(this.#db, () => {
			const table = snapshot ? 'sync_snapshot' : 'sync_update';
			const row = this.#db.prepare(`select data from ${table} where roomId = ?${snapshot ? '' : ' and seq = ?'}`).get(...(snapshot ? [roomId] : [roomId, seq])) as { data: Uint8Array } | undefined;
			if (!row) return;
			this.#db.prepare('insert or replace into sync_quarantine (roomId, seq, data, reason, at) values (?, ?, ?, ?, ?)').run(roomId, snapshot ? -seq : seq, row.data, reason, Date.now());
			this.#db.prepare(`delete from ${table} where roomId = ?${snapshot ? '' : ' and seq = ?'}`).run(...(snapshot ? [roomId] : [roomId, seq]));
		});
	}

	/** Quarantined updates of a room (for tests and for whoever investigates). */
	quarantined(roomId: string): { seq: number; reason: string }[] {
		return this.#db.prepare('select seq, reason from sync_quarantine where roomId = ? order by seq').all(roomId) as { seq: number; reason: string }[];
	}

	/** Replaces the updates up to `seq` by a snapshot of the document, atomically. */
	compact(roomId: string, seq: number, snapshot: Uint8Array): void {
		transaction(this.#db, () => {
			this.#db.prepare('insert into sync_snapshot (roomId, seq, data) values (?, ?, ?) on conflict (roomId) do update set seq = excluded.seq, data = excluded.data').run(roomId, seq, snapshot);
			this.#db.prepare('delete from sync_update where roomId = ? and seq <= ?').run(roomId, seq);
		});
	}

	/** How many messages the index has for a room (to tell whether it lags behind the document). */
	indexedCount(roomId: string): number {
		return (this.#db.prepare('select count(*) as n from chat_message where roomId = ?').get(roomId) as { n: number }).n;
	}

	/** Replaces a room's index with exactly these messages. */
	rebuildIndex(roomId: string, messages: IndexedMessage[]): void {
		transaction(this.#db, () => {
			this.#db.prepare('delete from chat_message where roomId = ?').run(roomId);
			const insert = this.#db.prepare('insert into chat_message (roomId, key, authorId, createdAt) values (?, ?, ?, ?)');
			for (const m of messages) insert.run(roomId, m.key, m.authorId, m.createdAt);
		});
	}

	/** How many messages the search index has for a room. */
	searchIndexedCount(roomId: string): number {
		return (this.#db.prepare('select count(*) as n from chat_search_text where roomId = ?').get(roomId) as { n: number }).n;
	}

	/** Replaces a room's search index with exactly these messages. */
	rebuildSearchIndex(roomId: string, messages: IndexedMessage[]): void {
		transaction(this.#db, () => {
			this.#db.prepare('delete from chat_search_text where roomId = ?').run(roomId);
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

	/** Keeps the per-message index (unread counts, last activity) and the search index in step with the document. */
	indexMessages(roomId: string, added: IndexedMessage[], removed: string[], edited: IndexedMessage[] = []): void {
		const insert = this.#db.prepare('insert or ignore into chat_message (roomId, key, authorId, createdAt) values (?, ?, ?, ?)');
		const remove = this.#db.prepare('delete from chat_message where roomId = ? and key = ?');
		const unsearch = this.#db.prepare('delete from chat_search_text where roomId = ? and key = ?');
		const search = this.#searchWriter();
		transaction(this.#db, () => {
			for (const m of added) {
				insert.run(roomId, m.key, m.authorId, m.createdAt);
				search(roomId, m);
			}
			for (const m of edited) search(roomId, m);
			for (const key of removed) {
				remove.run(roomId, key);
				unsearch.run(roomId, key);
			}
			if (added.length) {
				const latest = Math.max(...added.map((m) => m.createdAt));
				this.#db.prepare('update room set lastActivityAt = max(lastActivityAt, ?) where id = ?').run(Math.min(latest, Date.now()), roomId);
			}
		});
	}
}
