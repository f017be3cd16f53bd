import type * as Y from 'yjs';
import { parseMessageKey } from '../src/lib/core/chat/message-key.ts';
import type { MessageValue } from '../src/lib/core/chat/schema.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { IndexedMessage, SyncStore } from './store.ts';

export type { IndexedMessage } from './store.ts';
/** What a change of the `messages` map means for the indexes; `edited` messages carry their new text. */
export type IndexChanges = { added: IndexedMessage[]; removed: string[]; edited: IndexedMessage[] };

/** Index writes wait this long, so a burst of messages is one write. */
export const INDEX_BATCH_MS = 100;
/** New messages are announced (lobbies, notifications) at most this often per room, after the latest. */
export const ACTIVITY_BATCH_MS = 300;

/**
 * The per-message index of a room (unread counts, last activity, full-text search): derived from the document,
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
	#edited: IndexedMessage[] = [];
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

	/** The messages a change of the `messages` map added, removed and edited. */
	static changes(event: Y.YMapEvent<unknown>): IndexChanges {
		const changes: IndexChanges = { added: [], removed: [], edited: [] };
		const map = event.target as Y.Map<unknown>;
		for (const [key, change] of event.changes.keys) {
			if (change.action === 'delete') changes.removed.push(key);
			else {
				const message = indexed(key, map.get(key));
				if (message) (change.action === 'add' ? changes.added : changes.edited).push(message);
			}
		}
		return changes;
	}

	/** Rebuilds the index when it does not match the document's messages. */
	catchUp(messages: Y.Map<unknown>): void {
		const lagging = this.#store.indexedCount(this.#doc) !== messages.size;
		// The search index came later (migration 0012): a room's is filled the first time it loads since.
		const searchLagging = this.#store.searchIndexedCount(this.#doc) !== messages.size;
		if (!lagging && !searchLagging) return;
		const all = [...messages.entries()].flatMap(([key, value]) => indexed(key, value) ?? []);
		if (lagging) this.#store.rebuildIndex(this.#doc, all);
		if (searchLagging) this.#store.rebuildSearchIndex(this.#doc, all);
		this.#log.info('sync.index_rebuilt', { doc: this.#doc, messages: all.length, search: searchLagging });
	}

	record(added: IndexedMessage[], removed: string[], edited: IndexedMessage[] = []): void {
		if (!added.length && !removed.length && !edited.length) return;
		this.#added.push(...added);
		this.#removed.push(...removed);
		this.#edited.push(...edited);
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
		if (!this.#added.length && !this.#removed.length && !this.#edited.length) return;
		const added = this.#added;
		const removed = this.#removed;
		const edited = this.#edited;
		this.#added = [];
		this.#removed = [];
		this.#edited = [];
		try {
			this.#store.indexMessages(this.#doc, added, removed, edited);
		} catch (error) {
			this.#log.error('sync.index_failed', { doc: this.#doc, error });
		}
	}

	destroy(): void {
		clearTimeout(this.#timer);
		clearTimeout(this.#activityTimer);
	}
}

/** A stored message as the indexes keep it; undefined when its key is not a message key. */
function indexed(key: string, value: unknown): IndexedMessage | undefined {
	const parsed = parseMessageKey(key);
	if (!parsed) return undefined;
	const { text, mentions } = (value as Partial<MessageValue> | undefined) ?? {};
	return {
		key,
		authorId: parsed.authorId,
		createdAt: parsed.time,
		text: typeof text === 'string' ? text : '',
		// The schema checked them; anything else (a document from before mentions) mentions nobody.
		mentions: Array.isArray(mentions) ? mentions.filter((id): id is string => typeof id === 'string') : []
	};
}
