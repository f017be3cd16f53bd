import type { DatabaseSync, StatementSync } from 'node:sqlite';

export type StoredRoom = { snapshot: Uint8Array | null; updates: Uint8Array[]; lastSeq: number; clients: Map<number, string> };

/** SQLite persistence of room documents: append-only updates, compacted into snapshots. */
export class SyncStore {
	readonly #db: DatabaseSync;
	readonly #append: StatementSync;
	readonly #bind: StatementSync;

	constructor(db: DatabaseSync) {
		this.#db = db;
		this.#append = db.prepare('insert into sync_update (roomId, seq, data) values (?, ?, ?)');
		this.#bind = db.prepare('insert or ignore into sync_client (roomId, client, userId) values (?, ?, ?)');
	}

	load(roomId: string): StoredRoom {
		const snap = this.#db.prepare('select seq, data from sync_snapshot where roomId = ?').get(roomId) as { seq: number; data: Uint8Array } | undefined;
		const rows = this.#db.prepare('select seq, data from sync_update where roomId = ? and seq > ? order by seq').all(roomId, snap?.seq ?? 0) as { seq: number; data: Uint8Array }[];
		const clients = new Map(
			(this.#db.prepare('select client, userId from sync_client where roomId = ?').all(roomId) as { client: number; userId: string }[]).map((r) => [r.client, r.userId])
		);
		return { snapshot: snap?.data ?? null, updates: rows.map((r) => r.data), lastSeq: rows.at(-1)?.seq ?? snap?.seq ?? 0, clients };
	}

	/** Stores an accepted update and the client ids it bound, durably, before anyone else sees it. */
	append(roomId: string, seq: number, update: Uint8Array, newClients: [number, string][]): void {
		if (newClients.length === 0) {
			this.#append.run(roomId, seq, update);
			return;
		}
		this.#db.exec('begin immediate');
		try {
			this.#append.run(roomId, seq, update);
			for (const [client, userId] of newClients) this.#bind.run(roomId, client, userId);
			this.#db.exec('commit');
		} catch (error) {
			this.#db.exec('rollback');
			throw error;
		}
	}

	/** Replaces the updates up to `seq` by a snapshot of the document, atomically. */
	compact(roomId: string, seq: number, snapshot: Uint8Array): void {
		this.#db.exec('begin immediate');
		try {
			this.#db.prepare('insert into sync_snapshot (roomId, seq, data) values (?, ?, ?) on conflict (roomId) do update set seq = excluded.seq, data = excluded.data').run(roomId, seq, snapshot);
			this.#db.prepare('delete from sync_update where roomId = ? and seq <= ?').run(roomId, seq);
			this.#db.exec('commit');
		} catch (error) {
			this.#db.exec('rollback');
			throw error;
		}
	}

	/** How many messages the index has for a room (to tell whether it lags behind the document). */
	indexedCount(roomId: string): number {
		return (this.#db.prepare('select count(*) as n from chat_message where roomId = ?').get(roomId) as { n: number }).n;
	}

	/** Replaces a room's index with exactly these messages. */
	rebuildIndex(roomId: string, messages: { key: string; authorId: string; createdAt: number }[]): void {
		this.#db.exec('begin immediate');
		try {
			this.#db.prepare('delete from chat_message where roomId = ?').run(roomId);
			const insert = this.#db.prepare('insert into chat_message (roomId, key, authorId, createdAt) values (?, ?, ?, ?)');
			for (const m of messages) insert.run(roomId, m.key, m.authorId, m.createdAt);
			this.#db.exec('commit');
		} catch (error) {
			this.#db.exec('rollback');
			throw error;
		}
	}

	/** Keeps the per-message index (unread counts, last activity) in step with the document. */
	indexMessages(roomId: string, added: { key: string; authorId: string; createdAt: number }[], removed: string[]): void {
		const insert = this.#db.prepare('insert or ignore into chat_message (roomId, key, authorId, createdAt) values (?, ?, ?, ?)');
		const remove = this.#db.prepare('delete from chat_message where roomId = ? and key = ?');
		this.#db.exec('begin immediate');
		try {
			for (const m of added) insert.run(roomId, m.key, m.authorId, m.createdAt);
			for (const key of removed) remove.run(roomId, key);
			if (added.length) {
				const latest = Math.max(...added.map((m) => m.createdAt));
				this.#db.prepare('update room set lastActivityAt = max(lastActivityAt, ?) where id = ?').run(Math.min(latest, Date.now()), roomId);
			}
			this.#db.exec('commit');
		} catch (error) {
			this.#db.exec('rollback');
			throw error;
		}
	}
}
