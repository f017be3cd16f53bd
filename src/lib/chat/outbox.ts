import * as idb from 'lib0/indexeddb';
import type { Attachment } from '../core/chat/schema.ts';

/** A file waiting to be sent: its bytes, and once the server stored it, how the message refers to it. */
export type OutboxFile = { blob: Blob; name: string; voice?: true; durationMs?: number; stored?: Attachment };

/**
 * A message with files that is not in the room yet: it has its key (so its place in the
 * conversation) from when it was sent, and is written into the room once every file is stored.
 */
export type OutboxEntry = { key: string; roomId: string; text: string; replyTo?: string; mentions?: string[]; files: OutboxFile[] };

const STORE = 'entries';

/**
 * The device's outbox of messages with files (IndexedDB, one database per person, so a file
 * written offline survives reloads and is uploaded when the network returns). Its name starts
 * with "parley-", so signing out forgets it with the rest of the device's data.
 */
export class Outbox {
	readonly #db: Promise<IDBDatabase>;

	constructor(userId: string) {
		this.#db = idb.openDB(`parley-outbox-${userId}`, (db) => idb.createStores(db, [[STORE]]));
	}

	async #store(mode: 'readonly' | 'readwrite' = 'readwrite'): Promise<IDBObjectStore> {
		const [store] = idb.transact(await this.#db, [STORE], mode);
		return store;
	}

	/** A room's waiting messages, in the order they were written. */
	async list(roomId: string): Promise<OutboxEntry[]> {
		const all = (await idb.getAll(await this.#store('readonly'))) as OutboxEntry[];
		return all.filter((entry) => entry.roomId === roomId).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	}

	async put(entry: OutboxEntry): Promise<void> {
		await idb.put(await this.#store(), entry as never, `${entry.roomId}|${entry.key}`);
	}

	async remove(entry: Pick<OutboxEntry, 'roomId' | 'key'>): Promise<void> {
		await idb.del(await this.#store(), `${entry.roomId}|${entry.key}`);
	}

	async close(): Promise<void> {
		(await this.#db).close();
	}
}

/** How a message refers to a file the server stored (its answer to the upload), without empty fields. */
export function attachmentOf(
	record: { id: string; hash: string; name: string; size: number; type: string; width: number | null; height: number | null; thumbHash: string | null },
	extra: { voice?: true; durationMs?: number } = {}
): Attachment {
	const attachment: Attachment = { id: record.id, hash: record.hash, name: record.name, size: record.size, type: record.type };
	if (record.width !== null) attachment.width = record.width;
	if (record.height !== null) attachment.height = record.height;
	if (record.thumbHash !== null) attachment.thumb = true;
	if (extra.voice) attachment.voice = true;
	if (extra.durationMs !== undefined) attachment.durationMs = Math.round(extra.durationMs);
	return attachment;
}
