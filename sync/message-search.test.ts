import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import * as Y from 'yjs';
import { MESSAGES } from '../src/lib/core/chat/schema.ts';
import { MessageSearch } from '../src/lib/server/message-search.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { MessageIndex } from './message-index.ts';
import { SyncStore } from './store.ts';
import { connect, liveDocument, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';
import { message, send } from './test-messages.ts';

// The full-text index as the sync service writes it, searched as GET /api/search does.
let server: SyncTestServer;
let ann: TestUser;
let bob: TestUser;
let outsider: TestUser;
let search: MessageSearch;

beforeAll(async () => {
	server = await startSyncTestServer();
	ann = await server.signUp('Ann');
	bob = await server.signUp('Bob');
	outsider = await server.signUp('Olga Outside');
	search = new MessageSearch(server.parley.context.db, { resultLimit: 5, perMinute: 1000 });
});
afterAll(() => server.close());

const texts = (userId: string, query: string) => search.search(userId, query).map((hit) => hit.snippet);

async function roomWithMessages(name: string, messages: string[]) {
	const roomId = createRoomWithMembers(server.parley.context.rooms, ann.id, { name, memberIds: [bob.id] }).id;
	const { doc, provider } = connect(server.wsUrl, liveDocument(roomId), ann);
	await waitFor(() => provider.synced, 10_000, 'sync');
	const keys = messages.map((text) => send(doc, ann.id, text));
	return { roomId, doc, provider, keys };
}

describe('message search', () => {
	it('finds a capitalised Cyrillic name typed in lower case, and words without their accents', async () => {
		const { provider } = await roomWithMessages('Друзья', ['Привет, Ольга!', 'Café at noon?', 'Ёлка в субботу']);
		await waitFor(() => texts(bob.id, 'ольга').length === 1, 5000, 'index');
		expect(texts(bob.id, 'ольга')).toEqual(['Привет, Ольга!']);
		expect(texts(bob.id, 'ОЛЬГ')).toEqual(['Привет, Ольга!']);
		expect(texts(bob.id, 'cafe noon')).toEqual(['Café at noon?']);
		expect(texts(bob.id, 'елка')).toEqual(['Ёлка в субботу']);
		expect(texts(bob.id, 'cafe midnight')).toEqual([]);
		const [hit] = search.search(bob.id, 'ольга');
		expect(hit).toMatchObject({ roomName: 'Друзья', authorId: ann.id, authorName: 'Ann' });
		provider.destroy();
	});

	it('shows mentions by the current names of the room’s members, and no one else’s', async () => {
		const { provider } = await roomWithMessages('Mentions', [`okapi for <@${bob.id}> and <@${outsider.id}>`]);
		await waitFor(() => texts(ann.id, 'okapi').length === 1, 5000, 'index');
		expect(texts(ann.id, 'okapi')).toEqual([`okapi for @Bob and @…`]);
		provider.destroy();
	});

	it('finds a message by the name of someone it mentions, as they are called now, with its other words', async () => {
		const { provider } = await roomWithMessages('Called', [`quokka meeting with <@${bob.id}>`, 'quokka meeting alone']);
		await waitFor(() => texts(ann.id, 'quokka').length === 2, 5000, 'index');
		expect(texts(ann.id, 'bob quokka')).toEqual(['quokka meeting with @Bob']);
		expect(texts(ann.id, 'BO')).toContain('quokka meeting with @Bob');
		// Olga shares no room with Ann: her name finds nothing, whoever the text names.
		expect(texts(ann.id, 'olga quokka')).toEqual([]);
		server.parley.context.db.prepare("update user set name = 'Robert' where id = ?").run(bob.id);
		expect(texts(ann.id, 'robert quokka')).toEqual(['quokka meeting with @Robert']);
		expect(texts(ann.id, 'bob quokka')).toEqual([]);
		server.parley.context.db.prepare("update user set name = 'Bob' where id = ?").run(bob.id);
		provider.destroy();
	});

	it('follows edits and deletions', async () => {
		const { doc, provider, keys } = await roomWithMessages('Edits', ['draft zebra']);
		await waitFor(() => texts(ann.id, 'zebra').length === 1, 5000, 'index');
		doc.getMap(MESSAGES).set(keys[0], { ...message(keys[0], 'final giraffe'), editedAt: Date.now() });
		await waitFor(() => texts(ann.id, 'giraffe').length === 1, 5000, 'edit indexed');
		expect(texts(ann.id, 'zebra')).toEqual([]);
		doc.getMap(MESSAGES).delete(keys[0]);
		await waitFor(() => texts(ann.id, 'giraffe').length === 0, 5000, 'deletion indexed');
		provider.destroy();
	});

	it('answers only from rooms the person is a member of now', async () => {
		const { roomId, provider } = await roomWithMessages('Secret', ['walrus plans']);
		await waitFor(() => texts(bob.id, 'walrus').length === 1, 5000, 'index');
		const outsider = await server.signUp('Eve');
		expect(texts(outsider.id, 'walrus')).toEqual([]);
		server.parley.context.rooms.removeMember(ann.id, roomId, bob.id);
		expect(texts(bob.id, 'walrus')).toEqual([]);
		expect(texts(ann.id, 'walrus')).toEqual(['walrus plans']);
		provider.destroy();
	});

	it('answers at most its limit, newest first', async () => {
		const { provider } = await roomWithMessages('Many', Array.from({ length: 8 }, (_, i) => `otter ${i}`));
		await waitFor(() => texts(ann.id, 'otter').length === 5, 5000, 'index');
		expect(texts(ann.id, 'otter')).toEqual(['otter 7', 'otter 6', 'otter 5', 'otter 4', 'otter 3']);
		provider.destroy();
	});

	it('keeps finding every month of a room after its documents load again, the main one included', { timeout: 30_000 }, async () => {
		const idle = await startSyncTestServer({ ROOM_IDLE_SECONDS: '1' });
		const [ann, bob] = [await idle.signUp('Ann'), await idle.signUp('Bob')];
		const search = new MessageSearch(idle.parley.context.db, { resultLimit: 5, perMinute: 1000 });
		const found = () => search.search(bob.id, 'pelican').map((hit) => hit.snippet).sort();
		const roomId = createRoomWithMembers(idle.parley.context.rooms, ann.id, { name: 'Months', memberIds: [bob.id] }).id;
		const lastMonth = Date.now() - 40 * 24 * 60 * 60 * 1000;
		// A room (and members) from before last month, so that it has a document then.
		idle.parley.context.db.prepare('update room set createdAt = ? where id = ?').run(lastMonth - 86_400_000, roomId);
		idle.parley.context.db.prepare('update room_member set joinedAt = ? where roomId = ?').run(lastMonth - 86_400_000, roomId);
		const writers = [connect(idle.wsUrl, liveDocument(roomId), ann), connect(idle.wsUrl, liveDocument(roomId, lastMonth), ann)];
		await waitFor(() => writers.every((w) => w.provider.synced), 10_000, 'sync');
		send(writers[0].doc, ann.id, 'pelican this month');
		const key = `${ann.id}:${ulid(lastMonth)}`;
		writers[1].doc.getMap(MESSAGES).set(key, message(key, 'pelican last month'));
		await waitFor(() => found().length === 2, 5000, 'both months indexed');
		for (const w of writers) w.provider.destroy();
		await waitFor(() => !idle.parley.sync.loadedRooms().length, 10_000, 'the room to unload');
		// Bob opens the room again: its main document (presence, calls) and this month load; last month does not.
		const readers = [connect(idle.wsUrl, roomId, bob), connect(idle.wsUrl, liveDocument(roomId), bob)];
		await waitFor(() => readers.every((r) => r.provider.synced), 10_000, 'sync');
		expect(found()).toEqual(['pelican last month', 'pelican this month']);
		for (const r of readers) r.provider.destroy();
		await idle.close();
	});

	it('limits searches per person per minute', () => {
		const limited = new MessageSearch(server.parley.context.db, { resultLimit: 5, perMinute: 2 });
		limited.search(ann.id, 'a');
		limited.search(ann.id, 'b');
		expect(() => limited.search(ann.id, 'c')).toThrow(expect.objectContaining({ status: 429 }));
		expect(limited.search(bob.id, 'xyzzy')).toEqual([]);
	});

	it('fills a room’s search index when the room loads, for rooms written before it existed', async () => {
		const { db } = server.parley.context;
		const roomId = createRoomWithMembers(server.parley.context.rooms, ann.id, { name: 'Old', memberIds: [] }).id;
		const doc = new Y.Doc();
		const messages = doc.getMap(MESSAGES);
		const keys = ['first narwhal', 'second narwhal'].map((text) => send(doc, ann.id, text));
		// As before migration 0012: the message index has the room, the search index does not.
		const store = new SyncStore(db);
		store.rebuildIndex(roomId, keys.map((key) => ({ key, authorId: ann.id, createdAt: 0, text: '', mentions: [] })));
		expect(texts(ann.id, 'narwhal')).toEqual([]);
		new MessageIndex(roomId, store, createLogger('error'), () => {}).catchUp(messages);
		expect(texts(ann.id, 'narwhal').sort()).toEqual(['first narwhal', 'second narwhal']);
	});
});
