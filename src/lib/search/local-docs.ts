/**
 * Which room documents this device holds. A room's document is the IndexedDB database
 * `parley-room-<roomId>` (room-connection.ts); once history is split by period, a room has
 * several: `parley-room-<roomId>/<period>`. Search reads them all.
 */
export const ROOM_DOC_PREFIX = 'parley-room-';

/** The room a database name belongs to, when it is a room document. */
export function roomOfDocName(name: string): string | undefined {
	if (!name.startsWith(ROOM_DOC_PREFIX)) return undefined;
	const roomId = name.slice(ROOM_DOC_PREFIX.length).split('/')[0];
	return roomId || undefined;
}

/** The room documents among database names, grouped by room. */
export function roomDocNames(names: Iterable<string>): Map<string, string[]> {
	const rooms = new Map<string, string[]>();
	for (const name of names) {
		const roomId = roomOfDocName(name);
		if (roomId) rooms.set(roomId, [...(rooms.get(roomId) ?? []), name]);
	}
	return rooms;
}

/** This device's room documents, by room (none where the browser cannot list its databases). */
export async function localRoomDocs(): Promise<Map<string, string[]>> {
	if (!('indexedDB' in globalThis) || !indexedDB.databases) return new Map();
	const databases = await indexedDB.databases();
	return roomDocNames(databases.flatMap((db) => (db.name ? [db.name] : [])));
}

/** The documents of one room on this device: its plain one and any by period. */
export async function localDocsOfRoom(roomId: string): Promise<string[]> {
	return (await localRoomDocs()).get(roomId) ?? [];
}
