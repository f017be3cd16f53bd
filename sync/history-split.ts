import type { DatabaseSync } from 'node:sqlite';
import * as Y from 'yjs';
import { documentName, periodOfEntry, type Period } from '../src/lib/core/chat/period.ts';
import { MESSAGES, ROOTS } from '../src/lib/core/chat/schema.ts';
import { transaction } from '../src/lib/server/db.ts';
import type { Logger } from '../src/lib/server/log.ts';
import { loadRoomDoc } from './room-load.ts';
import { SyncStore } from './store.ts';

/**
 * The owner the store binds to the client id that writes a split room's month documents: no
 * person, so nobody may write as that id (validate-update.ts refuses another owner's id).
 */
export const SPLIT_WRITER = '';

export type SplitOptions = {
	/** Runs inside a room's transaction after each month it wrote (tests use it to stop a split half way). */
	afterPeriod?: (roomId: string, period: Period) => void;
};

export type SplitResult = { rooms: number; failed: number; messages: number };

/**
 * Splits the history of every room still kept in one document (`history` 'single', rooms created
 * before monthly history) into one document per month, at start, before the sync service serves
 * anyone. Each room is split in one transaction: its messages and reactions are written into the
 * documents of their months, the old document is emptied (it goes on carrying presence and calls),
 * and the room is marked 'monthly' with the old document's state vector kept (`legacyState`). A
 * split that stops half way (the process killed, the disk full) leaves that room as it was, still
 * served as one document, and the next start splits it: nothing is split twice or lost.
 */
export function splitSingleDocumentRooms(db: DatabaseSync, log: Logger, options: SplitOptions = {}): SplitResult {
	const rooms = (db.prepare("select id from room where history = 'single' order by createdAt").all() as { id: string }[]).map((r) => r.id);
	const result: SplitResult = { rooms: 0, failed: 0, messages: 0 };
	if (!rooms.length) return result;
	const store = new SyncStore(db);
	for (const roomId of rooms) {
		const started = performance.now();
		try {
			const split = transaction(db, () => splitRoom(db, store, log, roomId, options));
			result.rooms += 1;
			result.messages += split.messages;
			log.info('sync.history_split', { roomId, ...split, ms: Math.round(performance.now() - started) });
		} catch (error) {
			result.failed += 1;
			log.error('sync.history_split_failed', { roomId, error, note: 'the room stays in one document; the next start tries again' });
		}
	}
	return result;
}

function splitRoom(db: DatabaseSync, store: SyncStore, log: Logger, roomId: string, options: SplitOptions) {
	const old = loadRoomDoc(roomId, store, log).doc;
	// Every entry by the month it belongs to (a reaction goes with its message).
	const byPeriod = new Map<Period, { root: string; key: string; value: unknown }[]>();
	let unplaced = 0;
	let messages = 0;
	for (const root of ROOTS) {
		old.getMap(root).forEach((value, key) => {
			const period = periodOfEntry(root, key);
			if (period === null) return void (unplaced += 1);
			if (root === MESSAGES) messages += 1;
			const entries = byPeriod.get(period) ?? [];
			entries.push({ root, key, value });
			byPeriod.set(period, entries);
		});
	}
	const bindWriter = db.prepare('insert or ignore into sync_client (roomId, period, client, userId) values (?, ?, ?, ?)');
	for (const [period, entries] of [...byPeriod].sort(([a], [b]) => a.localeCompare(b))) {
		const name = documentName(roomId, period);
		const { doc, lastSeq } = loadRoomDoc(name, store, log);
		doc.transact(() => {
			for (const { root, key, value } of entries) doc.getMap(root).set(key, value);
		});
		bindWriter.run(roomId, period, doc.clientID, SPLIT_WRITER);
		store.compact(name, lastSeq, Y.encodeStateAsUpdate(doc));
		doc.destroy();
		options.afterPeriod?.(roomId, period);
	}
	// The old document keeps presence and calls only: it starts again empty.
	db.prepare("delete from sync_update where roomId = ? and period = ''").run(roomId);
	db.prepare("delete from sync_snapshot where roomId = ? and period = ''").run(roomId);
	// Each message's row in the index moves to its month (createdAt is the time in its key).
	db.prepare("update chat_message set period = strftime('%Y-%m', createdAt / 1000, 'unixepoch') where roomId = ? and period = ''").run(roomId);
	db.prepare("update room set history = 'monthly', legacyState = ? where id = ?").run(Y.encodeStateVector(old), roomId);
	old.destroy();
	return { messages, periods: byPeriod.size, unplaced };
}
