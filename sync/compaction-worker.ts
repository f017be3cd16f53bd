// The thread that compacts room documents (sync/compactor.ts): it rebuilds a document from what is
// stored, up to a given update, and replaces those updates by one snapshot, with its own SQLite
// connection, so that encoding a big month never holds up the server's event loop.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';

export type CompactionJob = { id: number; roomId: string; period: string; seq: number };
export type CompactionResult = { id: number; ok: true; written: boolean; bytes: number; updates: number } | { id: number; ok: false; error: string };

const db = new DatabaseSync((workerData as { file: string }).file, { timeout: 5000 });
db.exec('pragma synchronous = normal;');
const snapshotOf = db.prepare('select seq, data from sync_snapshot where roomId = ? and period = ?');
const updatesTo = db.prepare('select data from sync_update where roomId = ? and period = ? and seq > ? and seq <= ? order by seq');
const write = db.prepare(
	'insert into sync_snapshot (roomId, period, seq, data) values (?, ?, ?, ?) on conflict (roomId, period) do update set seq = excluded.seq, data = excluded.data where excluded.seq > sync_snapshot.seq'
);
const drop = db.prepare('delete from sync_update where roomId = ? and period = ? and seq <= ?');

function compact({ id, roomId, period, seq }: CompactionJob): CompactionResult {
	// One read transaction: the snapshot and the updates after it as they were at one moment.
	db.exec('begin');
	let snapshot: { seq: number; data: Uint8Array } | undefined;
	let updates: Uint8Array[];
	try {
		snapshot = snapshotOf.get(roomId, period) as typeof snapshot;
		updates = snapshot && snapshot.seq >= seq ? [] : (updatesTo.all(roomId, period, snapshot?.seq ?? 0, seq) as { data: Uint8Array }[]).map((row) => row.data);
	} finally {
		db.exec('commit');
	}
	if (!updates.length) return { id, ok: true, written: false, bytes: 0, updates: 0 };
	const doc = new Y.Doc({ gc: true });
	let data: Uint8Array;
	try {
		if (snapshot) Y.applyUpdate(doc, snapshot.data);
		for (const update of updates) Y.applyUpdate(doc, update);
		data = Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
	db.exec('begin immediate');
	try {
		// Never behind a snapshot written meanwhile (by the server itself at shutdown): then nothing changes.
		const written = write.run(roomId, period, seq, data).changes > 0;
		if (written) drop.run(roomId, period, seq);
		db.exec('commit');
		return { id, ok: true, written, bytes: data.byteLength, updates: updates.length };
	} catch (error) {
		db.exec('rollback');
		throw error;
	}
}

parentPort!.on('message', (job: CompactionJob) => {
	let result: CompactionResult;
	try {
		result = compact(job);
	} catch (error) {
		result = { id: job.id, ok: false, error: error instanceof Error ? error.message : String(error) };
	}
	parentPort!.postMessage(result);
});
