import * as Y from 'yjs';
import { parseDocumentName } from '../src/lib/core/chat/period.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { SyncStore } from './store.ts';

export type LoadedRoom = { doc: Y.Doc; clients: Map<number, string>; lastSeq: number; sinceSnapshot: number; bytesSinceSnapshot: number };

/**
 * A room's document from its stored snapshot and updates. Each update applies on its own; one
 * that throws (stored by an older Parley, or damaged) is quarantined and the document rebuilt
 * without it, so a bad update can never stop a room from loading.
 */
export function loadRoomDoc(roomId: string, store: SyncStore, log: Logger): LoadedRoom {
	const stored = store.load(roomId);
	let snapshot = stored.snapshot;
	const good: Uint8Array[] = [];
	const fresh = () => new Y.Doc({ gc: true });
	let doc = fresh();
	if (snapshot) {
		try {
			Y.applyUpdate(doc, snapshot);
		} catch (error) {
			log.error('sync.snapshot_quarantined', { ...parseDocumentName(roomId), seq: stored.snapshotSeq, error });
			store.quarantine(roomId, stored.snapshotSeq, errorText(error), true);
			snapshot = null;
			doc = fresh();
		}
	}
	for (const update of stored.updates) {
		try {
			Y.applyUpdate(doc, update.data);
			good.push(update.data);
		} catch (error) {
			log.error('sync.update_quarantined', { ...parseDocumentName(roomId), seq: update.seq, error });
			store.quarantine(roomId, update.seq, errorText(error));
			// The failed apply may have left part of itself behind: start again from what applied.
			doc.destroy();
			doc = fresh();
			if (snapshot) Y.applyUpdate(doc, snapshot);
			for (const data of good) Y.applyUpdate(doc, data);
		}
	}
	return { doc, clients: stored.clients, lastSeq: stored.lastSeq, sinceSnapshot: good.length, bytesSinceSnapshot: good.reduce((sum, data) => sum + data.byteLength, 0) };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);
