import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { parseMessageKey, parseReactionKey } from '../core/chat/message-key.ts';
import { MESSAGES, ROOTS } from '../core/chat/schema.ts';
import type { RoomDocuments } from './room-documents.ts';

/**
 * A room created before history was split by month kept all of it in one document, and a device
 * that had it open keeps a copy of it in IndexedDB (`parley-room-<roomId>`). When the server split
 * the room (sync/history-split.ts) it kept the old document's state vector: whatever the copy has
 * beyond it was written on this device and never reached the server (offline, before the upgrade).
 * Those writes of the person's own are made again in the documents of their months, then the old
 * copy is deleted; the rest of it the server already moved.
 */

export type Entry = { root: string; key: string };
export type LegacyWrites = { set: (Entry & { value: unknown })[]; deleted: Entry[] };

function ownerOf({ root, key }: Entry): string | undefined {
	return root === MESSAGES ? parseMessageKey(key)?.authorId : parseReactionKey(key)?.userId;
}

/** The message an entry belongs to (a reaction goes with its message). */
function messageOf({ root, key }: Entry): string {
	return root === MESSAGES ? key : parseReactionKey(key)!.messageKey;
}

/**
 * What of the old document's copy never reached the server, as of its state vector then: entries
 * of this person's set on the device (new messages, edits, reactions), and their entries the
 * server had that the device deleted (whether the deletion reached the server is not known: it is
 * made again where the entry is still there).
 */
export function unsentWrites(doc: Y.Doc, serverState: Map<number, number>, userId: string): LegacyWrites {
	const writes: LegacyWrites = { set: [], deleted: [] };
	for (const root of ROOTS) {
		const map = doc.getMap(root);
		for (const [key, item] of map._map) {
			const entry = { root, key };
			if (ownerOf(entry) !== userId) continue;
			const serverHad = (serverState.get(item.id.client) ?? 0) > item.id.clock;
			if (!item.deleted && !serverHad) writes.set.push({ ...entry, value: map.get(key) });
			else if (item.deleted && serverHad) writes.deleted.push(entry);
		}
	}
	return writes;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function hasDatabase(name: string): Promise<boolean> {
	if (typeof indexedDB === 'undefined') return false;
	// Browsers without databases() open it (an empty one is deleted right after).
	if (!indexedDB.databases) return true;
	return (await indexedDB.databases()).some((db) => db.name === name);
}

/**
 * Replays what the device's copy of the room's old document holds that the server never got
 * (`legacyState`: base64 of the server's state vector at the split), then deletes the copy. Safe to
 * run on every visit: what a month already has is not written again, and once the copy is gone
 * there is nothing to do. Deletions wait until their month is synced, so the copy stays until then.
 */
export async function replayLegacyCopy(roomId: string, legacyState: string | null, documents: RoomDocuments, userId: string): Promise<void> {
	const name = `parley-room-${roomId}`;
	if (!(await hasDatabase(name))) return;
	const doc = new Y.Doc();
	const local = new IndexeddbPersistence(name, doc);
	try {
		await local.whenSynced;
		if (legacyState) {
			const state = Y.decodeStateVector(Uint8Array.from(atob(legacyState), (c) => c.charCodeAt(0)));
			const { set, deleted } = unsentWrites(doc, state, userId);
			for (const entry of set) {
				const month = documents.forKey(messageOf(entry));
				await month.loaded;
				const map = month.doc.getMap(entry.root);
				if (!sameJson(map.get(entry.key), entry.value)) map.set(entry.key, entry.value);
			}
			for (const entry of deleted) {
				const month = documents.forKey(messageOf(entry));
				await month.loaded;
				await month.whenSynced();
				const map = month.doc.getMap(entry.root);
				if (map.has(entry.key)) map.delete(entry.key);
			}
		}
		await local.clearData();
	} finally {
		doc.destroy();
	}
}
