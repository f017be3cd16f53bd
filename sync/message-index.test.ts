import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { newMessageKey } from '../src/lib/core/chat/message-key.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { ACTIVITY_BATCH_MS, INDEX_BATCH_MS, MessageIndex, type IndexedMessage } from './message-index.ts';
import type { SyncStore } from './store.ts';

/** The index calls of a store, recorded. */
function fakeStore(indexed = 0) {
	const writes: { added: string[]; removed: string[] }[] = [];
	const rebuilt: string[][] = [];
	const store = {
		indexedCount: () => indexed,
		rebuildIndex: (_roomId: string, all: IndexedMessage[]) => rebuilt.push(all.map((m) => m.key)),
		indexMessages: (_roomId: string, added: IndexedMessage[], removed: string[]) => writes.push({ added: added.map((m) => m.key), removed })
	} as unknown as SyncStore;
	return { store, writes, rebuilt };
}

const message = (key: string): IndexedMessage => ({ key, authorId: 'ann', createdAt: 1 });

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
	});
});
