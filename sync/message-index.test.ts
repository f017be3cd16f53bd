import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { newMessageKey } from '../src/lib/core/chat/message-key.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { ACTIVITY_BATCH_MS, INDEX_BATCH_MS, MessageIndex, type IndexedMessage } from './message-index.ts';
import type { SyncStore } from './store.ts';

/** The index calls of a store, recorded. */
function fakeStore(indexed = 0, searchIndexed = indexed) {
	const writes: { added: string[]; removed: string[] }[] = [];
	const rebuilt: string[][] = [];
	const searchRebuilt: string[][] = [];
	const store = {
		indexedCount: () => indexed,
		searchIndexedCount: () => searchIndexed,
		rebuildIndex: (_roomId: string, all: IndexedMessage[]) => rebuilt.push(all.map((m) => m.key)),
		rebuildSearchIndex: (_roomId: string, all: IndexedMessage[]) => searchRebuilt.push(all.map((m) => `${m.key}=${m.text}`)),
		indexMessages: (_roomId: string, added: IndexedMessage[], removed: string[], edited: IndexedMessage[]) =>
			writes.push({ added: added.map((m) => m.key), removed, ...(edited.length ? { edited: edited.map((m) => `${m.key}=${m.text}`) } : {}) })
	} as unknown as SyncStore;
	return { store, writes, rebuilt, searchRebuilt };
}

const message = (key: string): IndexedMessage => ({ key, authorId: 'ann', createdAt: 1, text: '', mentions: [] });

describe('MessageIndex', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('writes a burst of changes once, and announces the new messages once the index has them', async () => {
		const { store, writes } = fakeStore();
		const announced: string[][] = [];
		const index = new MessageIndex('r', store, createLogger('error'), (added) => announced.push(added.map((m) => m.key)));
		index.record([message('a')], []);
		index.record([message('b')], ['old']);
		expect(writes).toEqual([]);
		await vi.advanceTimersByTimeAsync(INDEX_BATCH_MS);
		expect(writes).toEqual([{ added: ['a', 'b'], removed: ['old'] }]);
		expect(announced).toEqual([]);
		index.record([message('c')], []);
		await vi.advanceTimersByTimeAsync(ACTIVITY_BATCH_MS - INDEX_BATCH_MS);
		// Written before it is announced, and every message since the last announcement is in it.
		expect(writes.at(-1)).toEqual({ added: ['c'], removed: [] });
		expect(announced).toEqual([['a', 'b', 'c']]);
		index.record([], ['c']);
		await vi.advanceTimersByTimeAsync(ACTIVITY_BATCH_MS);
		expect(announced).toHaveLength(1);
		index.destroy();
	});

	it('announces nothing after it is destroyed (the room unloaded)', async () => {
		const { store } = fakeStore();
		const announced: unknown[] = [];
		const index = new MessageIndex('r', store, createLogger('error'), (added) => announced.push(added));
		index.record([message('a')], []);
		index.destroy();
		await vi.advanceTimersByTimeAsync(ACTIVITY_BATCH_MS * 2);
		expect(announced).toEqual([]);
	});

	it('rebuilds from the document when the stored index does not match it', () => {
		const doc = new Y.Doc();
		const messages = doc.getMap('messages');
		const key = newMessageKey('ann');
		messages.set(key, {});
		messages.set('not a key', {});
		const stale = fakeStore(0);
		new MessageIndex('r', stale.store, createLogger('error'), () => {}).catchUp(messages);
		expect(stale.rebuilt).toEqual([[key]]);
		const current = fakeStore(2);
		new MessageIndex('r', current.store, createLogger('error'), () => {}).catchUp(messages);
		expect(current.rebuilt).toEqual([]);
		// Only the search index lags (a room written before it existed): only it is filled.
		const unsearched = fakeStore(2, 0);
		new MessageIndex('r', unsearched.store, createLogger('error'), () => {}).catchUp(messages);
		expect(unsearched.rebuilt).toEqual([]);
		expect(unsearched.searchRebuilt).toEqual([[`${key}=`]]);
	});

	it('tells additions, edits (with their new text) and deletions apart', () => {
		const doc = new Y.Doc();
		const messages = doc.getMap('messages');
		const seen: ReturnType<typeof MessageIndex.changes>[] = [];
		messages.observe((event) => seen.push(MessageIndex.changes(event)));
		const [a, b] = [newMessageKey('ann'), newMessageKey('bob')];
		messages.set(a, { text: 'Hi' });
		messages.set(b, { text: 'Yo' });
		messages.set(a, { text: 'Hello' });
		messages.delete(b);
		expect(seen.map((c) => ({ added: c.added.map((m) => m.text), edited: c.edited.map((m) => m.text), removed: c.removed }))).toEqual([
			{ added: ['Hi'], edited: [], removed: [] },
			{ added: ['Yo'], edited: [], removed: [] },
			{ added: [], edited: ['Hello'], removed: [] },
			{ added: [], edited: [], removed: [b] }
		]);
	});
});
