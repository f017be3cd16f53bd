import type * as Y from 'yjs';
import { parseMessageKey } from '../src/lib/core/chat/message-key.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { SyncStore } from './store.ts';

export type IndexedMessage = { key: string; authorId: string; createdAt: number };

/** Index writes wait this long, so a burst of messages is one write. */
export const INDEX_BATCH_MS = 100;
/** New messages are announced (lobbies, notifications) at most this often per room, after the latest. */
export const ACTIVITY_BATCH_MS = 300;

/**
 * The per-message index of a room (unread counts, last activity): derived from the document,
 * written in batches off the relay path, caught up on load (a crash can lose its last batch).
 * New messages are announced in batches too, once the index has them.
 */
export class MessageIndex {
	/** The document's name (see period.ts): each of a room's documents keeps its part of the index. */
	readonly #doc: string;
	readonly #store: SyncStore;
	readonly #log: Logger;
	readonly #onActivity: (added: IndexedMessage[]) => void;
	#added: IndexedMessage[] = [];
	#removed: string[] = [];
	#timer: ReturnType<typeof setTimeout> | undefined;
	#activity: IndexedMessage[] = [];
	#activityTimer: ReturnType<typeof setTimeout> | undefined;

	/** `onActivity` hears of the messages added since it last did, every ACTIVITY_BATCH_MS at most. */
	constructor(doc: string, store: SyncStore, log: Logger, onActivity: (added: IndexedMessage[]) => void) {
		this.#doc = doc;
		this.#store = store;
		this.#log = log;
		this.#onActivity = onActivity;
	}

	/** The messages a change of the `messages` map added and removed. */
	static changes(event: Y.YMapEvent<unknown>): { added: IndexedMessage[]; removed: string[] } {
		const added: IndexedMessage[] = [];
		const removed: string[] = [];
		for (const [key, change] of event.changes.keys) {
			if (change.action === 'add') {
				const parsed = parseMessageKey(key);
				if (parsed) added.push({ key, authorId: parsed.authorId, createdAt: parsed.time });
			} else if (change.action === 'delete') removed.push(key);
		}
		return { added, removed };
	}

	/** Rebuilds the index when it does not match the document's messages. */
	catchUp(messages: Y.Map<unknown>): void {
		if (this.#store.indexedCount(this.#doc) === messages.size) return;
		const all = [...messages.keys()].flatMap((key) => {
			const parsed = parseMessageKey(key);
			return parsed ? [{ key, authorId: parsed.authorId, createdAt: parsed.time }] : [];
		});
		this.#store.rebuildIndex(this.#doc, all);
		this.#log.info('sync.index_rebuilt', { doc: this.#doc, messages: all.length });
	}

	record(added: IndexedMessage[], removed: string[]): void {
		if (!added.length && !removed.length) return;
		this.#added.push(...added);
		this.#removed.push(...removed);
		this.#timer ??= setTimeout(() => this.flush(), INDEX_BATCH_MS);
		if (!added.length) return;
		this.#activity.push(...added);
		this.#activityTimer ??= setTimeout(() => {
			this.#activityTimer = undefined;
			const batch = this.#activity;
			this.#activity = [];
			this.flush();
			this.#onActivity(batch);
		}, ACTIVITY_BATCH_MS).unref();
	}

	/** Writes the pending changes now. */
	flush(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		if (!this.#added.length && !this.#removed.length) return;
		const added = this.#added;
		const removed = this.#removed;
		this.#added = [];
		this.#removed = [];
		try {
			this.#store.indexMessages(this.#doc, added, removed);
		} catch (error) {
			this.#log.error('sync.index_failed', { doc: this.#doc, error });
		}
	}

	destroy(): void {
		clearTimeout(this.#timer);
		clearTimeout(this.#activityTimer);
	}
}
