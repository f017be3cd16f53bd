import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { MESSAGES } from '../core/chat/schema.ts';
import { DeviceSearchIndex } from './device-index.ts';
import { localRoomDocs } from './local-docs.ts';

/** Reads every room document on this device (each of a room's periods) into a search index. */
export async function loadDeviceIndex(): Promise<DeviceSearchIndex> {
	const index = new DeviceSearchIndex();
	const rooms = await localRoomDocs();
	const reads = [...rooms].flatMap(([roomId, names]) =>
		names.map(async (name) => {
			const doc = new Y.Doc();
			const local = new IndexeddbPersistence(name, doc);
			try {
				await local.whenSynced;
				index.addRoom(roomId, doc.getMap(MESSAGES).entries());
			} finally {
				// Closes this reader only; the room's data stays.
				await local.destroy();
				doc.destroy();
			}
		})
	);
	await Promise.allSettled(reads);
	return index;
}
