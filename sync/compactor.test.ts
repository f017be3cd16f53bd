import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentName } from '../src/lib/core/chat/period.ts';
import { MESSAGES } from '../src/lib/core/chat/schema.ts';
import { migrate, openDatabase, readMigrations } from '../src/lib/server/db.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { Compactor } from './compactor.ts';
import { SyncStore } from './store.ts';
import { loadRoomDoc } from './room-load.ts';

const quiet = createLogger('error');
const ROOM = 'room-1';
const PERIOD = '2026-11';
const NAME = documentName(ROOM, PERIOD);

describe('the compaction worker', () => {
	let dir: string;
	let file: string;
	let compactor: Compactor;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'parley-compactor-'));
		file = join(dir, 'parley.sqlite');
		const db = openDatabase(file);
		migrate(db, readMigrations(join(import.meta.dirname, '../migrations')));
		db.exec(`insert into user (id, name, email, emailVerified, createdAt, updatedAt) values ('user', 'Ann', 'ann@parley.test', 0, 0, 0);
			insert into room (id, kind, name, createdBy, createdAt, lastActivityAt) values ('${ROOM}', 'group', 'Room', 'user', 0, 0);`);
		db.close();
		compactor = new Compactor(file);
	});
	afterEach(async () => {
		await compactor.close();
		rmSync(dir, { recursive: true, force: true });
	});

	/** Stores `count` updates of one message each into the month, as the sync service does, writing them to `doc` too. */
	function write(store: SyncStore, doc: Y.Doc, from: number, count: number): void {
		for (let seq = from; seq < from + count; seq++) {
			const update = (() => {
				let captured: Uint8Array | undefined;
				const capture = (u: Uint8Array) => (captured = u);
				doc.on('update', capture);
				doc.getMap(MESSAGES).set(`user:${String(seq).padStart(26, '0')}`, { text: `message ${seq}`, createdAt: seq });
				doc.off('update', capture);
				return captured!;
			})();
			store.appendSoon(NAME, seq, update, { userId: 'user', day: 1, newClients: [] }, () => {});
		}
		store.flush();
	}

	it('replaces the stored updates up to a sequence number by one snapshot of the same document, off the event loop', async () => {
		const db = openDatabase(file);
		const store = new SyncStore(db);
		const doc = new Y.Doc();
		write(store, doc, 1, 300);
		const done = await compactor.compact(ROOM, PERIOD, 250);
		expect(done).toMatchObject({ written: true, updates: 250 });
		const stored = store.load(NAME);
		expect(stored.snapshotSeq).toBe(250);
		expect(stored.updates.map((u) => u.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 251 + i));
		// Snapshot + what came after is the whole document.
		expect(loadRoomDoc(NAME, store, quiet).doc.getMap(MESSAGES).toJSON()).toEqual(doc.getMap(MESSAGES).toJSON());

		// Updates written while it works stay; the next job folds them in on top of the snapshot.
		write(store, doc, 301, 20);
		expect(await compactor.compact(ROOM, PERIOD, 320)).toMatchObject({ written: true, updates: 70 });
		expect(store.load(NAME)).toMatchObject({ snapshotSeq: 320, updates: [] });
		expect(loadRoomDoc(NAME, store, quiet).doc.getMap(MESSAGES).size).toBe(320);
		db.close();
	});

	it('never goes behind a snapshot written meanwhile, and says when it could not work', async () => {
		const db = openDatabase(file);
		const store = new SyncStore(db);
		const doc = new Y.Doc();
		write(store, doc, 1, 10);
		// The server compacted up to 10 itself (as at shutdown): a job for 5 changes nothing.
		store.compact(NAME, 10, Y.encodeStateAsUpdate(doc));
		expect(await compactor.compact(ROOM, PERIOD, 5)).toMatchObject({ written: false, updates: 0 });
		expect(store.load(NAME).snapshotSeq).toBe(10);
		// A stored update Yjs cannot read fails the job, and nothing is replaced.
		db.prepare('insert into sync_update (roomId, period, seq, data) values (?, ?, ?, ?)').run(ROOM, PERIOD, 11, new Uint8Array([255, 255, 255]));
		await expect(compactor.compact(ROOM, PERIOD, 11)).rejects.toThrow();
		expect(store.load(NAME)).toMatchObject({ snapshotSeq: 10, updates: [{ seq: 11 }] });
		await compactor.close();
		expect(compactor.working).toBe(false);
		await expect(compactor.compact(ROOM, PERIOD, 11)).rejects.toThrow(/closed/);
		db.close();
	});
});
