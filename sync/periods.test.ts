import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ulid } from 'ulid';
import { reactionKey } from '../src/lib/core/chat/message-key.ts';
import { documentName, periodOf, periodStart, previousPeriod } from '../src/lib/core/chat/period.ts';
import { CLOSE_FORBIDDEN, CLOSE_NOT_FOUND } from '../src/lib/core/chat/protocol.ts';
import { MESSAGES, REACTIONS } from '../src/lib/core/chat/schema.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { connect, rawSyncClient, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';
import { message, texts } from './test-messages.ts';

const DAY = 86_400_000;
let server: SyncTestServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
	server = await startSyncTestServer({ ROOM_IDLE_SECONDS: '1' });
	[alice, bob] = await Promise.all(['Alice', 'Bob'].map((n) => server.signUp(n)));
});
afterAll(() => server.close());

const db = () => server.parley.context.db;
const now = periodOf(Date.now());
const lastMonth = previousPeriod(now);

/** A room (split by month, as every new room is) made and joined by both 100 days ago. */
function monthlyRoom(name: string): string {
	const id = createRoomWithMembers(server.parley.context.rooms, alice.id, { name, memberIds: [bob.id] }).id;
	const since = Date.now() - 100 * DAY;
	db().prepare('update room set createdAt = ? where id = ?').run(since, id);
	db().prepare('update room_member set joinedAt = ? where roomId = ?').run(since, id);
	return id;
}

/** Writes a message dated `time` as `user` into `doc`; returns its key. */
function write(doc: Y.Doc, userId: string, text: string, time = Date.now()): string {
	// Not the monotonic ULIDs the app makes: those never go back in time, and these must.
	const key = `${userId}:${ulid(time)}`;
	doc.getMap(MESSAGES).set(key, message(key, text));
	return key;
}

const closedWith = async (client: Awaited<ReturnType<typeof rawSyncClient>>) => {
	await waitFor(() => client.closed() !== undefined, 5000, 'close');
	return client.closed()!;
};

describe('a room split by month', () => {
	it('keeps each month in its own document: synced, stored apart, loaded again after an unload', async () => {
		const roomId = monthlyRoom('Months');
		const old = Date.now() - 40 * DAY;
		const a = connect(server.wsUrl, documentName(roomId, now), alice);
		const b = connect(server.wsUrl, documentName(roomId, now), bob);
		const aOld = connect(server.wsUrl, documentName(roomId, periodOf(old)), alice);
		await waitFor(() => a.provider.synced && b.provider.synced && aOld.provider.synced, 5000, 'sync');
		write(a.doc, alice.id, 'this month');
		write(aOld.doc, alice.id, 'an offline note from weeks ago', old);
		await waitFor(() => texts(b.doc).includes('this month'), 5000, 'relay');
		expect(texts(b.doc)).toEqual(['this month']);

		const stored = () => db().prepare('select period, count(*) as n from sync_update where roomId = ? group by period order by period').all(roomId);
		await waitFor(() => stored().length === 2, 5000, 'stored');
		expect(stored()).toEqual([
			{ period: periodOf(old), n: 1 },
			{ period: now, n: 1 }
		]);
		expect(server.parley.context.rooms.periods(alice.id, roomId)).toEqual([now, periodOf(old)].sort().reverse());

		for (const c of [a, b, aOld]) c.provider.destroy();
		await waitFor(() => !server.parley.sync.loadedRooms().some((name) => name.startsWith(roomId)), 5000, 'unload');
		const again = connect(server.wsUrl, documentName(roomId, periodOf(old)), bob);
		await waitFor(() => texts(again.doc).length === 1, 5000, 'reload');
		expect(texts(again.doc)).toEqual(['an offline note from weeks ago']);
		again.provider.destroy();
	});

	it('refuses a message, an edit or a reaction in the document of another month, and messages in the main document', async () => {
		const roomId = monthlyRoom('Wrong month');
		const client = await rawSyncClient(server.wsUrl, documentName(roomId, now), alice);
		const doc = new Y.Doc();
		const key = write(doc, alice.id, 'dated last month', Date.now() - 40 * DAY);
		client.sendUpdate(Y.encodeStateAsUpdate(doc));
		await waitFor(() => client.denied.length === 1, 5000, 'refusal');
		expect(client.denied[0]).toMatch(/belongs to the document of another month/);

		const reaction = new Y.Doc();
		reaction.getMap(REACTIONS).set(reactionKey(key, alice.id, '👍'), { at: Date.now() });
		client.sendUpdate(Y.encodeStateAsUpdate(reaction));
		await waitFor(() => client.denied.length === 2, 5000, 'refusal');
		expect(client.denied[1]).toMatch(/another month/);

		const main = await rawSyncClient(server.wsUrl, roomId, alice);
		const inMain = new Y.Doc();
		write(inMain, alice.id, 'in the main document');
		main.sendUpdate(Y.encodeStateAsUpdate(inMain));
		await waitFor(() => main.denied.length === 1, 5000, 'refusal');
		expect(main.denied[0]).toMatch(/document of their month/);
		expect(db().prepare('select count(*) as n from sync_update where roomId = ?').get(roomId)).toEqual({ n: 0 });
		client.ws.close();
		main.ws.close();
	});

	it('has documents only for the months the room lived through, and a room in one document has none', async () => {
		const roomId = monthlyRoom('Bounds');
		for (const period of ['1999-01', periodOf(Date.now() + 62 * DAY), periodOf(Date.now() - 400 * DAY)]) {
			expect((await closedWith(await rawSyncClient(server.wsUrl, documentName(roomId, period), alice))).code).toBe(CLOSE_NOT_FOUND);
		}
		const single = createRoomWithMembers(server.parley.context.rooms, alice.id, { name: 'Single', memberIds: [] }).id;
		db().prepare("update room set history = 'single' where id = ?").run(single);
		const refused = await closedWith(await rawSyncClient(server.wsUrl, documentName(single, now), alice));
		expect(refused).toEqual({ code: CLOSE_NOT_FOUND, reason: 'This room keeps its history in one document' });
		const outsider = await server.signUp('Outsider');
		expect((await closedWith(await rawSyncClient(server.wsUrl, documentName(roomId, now), outsider))).code).toBe(CLOSE_NOT_FOUND);
	});

	it('counts unread messages of every month, and a removed member loses every month at once', async () => {
		const roomId = monthlyRoom('Unread');
		const a = connect(server.wsUrl, documentName(roomId, now), alice);
		const aOld = connect(server.wsUrl, documentName(roomId, lastMonth), alice);
		const bobOld = await rawSyncClient(server.wsUrl, documentName(roomId, lastMonth), bob);
		const bobNow = await rawSyncClient(server.wsUrl, documentName(roomId, now), bob);
		await waitFor(() => a.provider.synced && aOld.provider.synced, 5000, 'sync');
		write(a.doc, alice.id, 'new');
		write(aOld.doc, alice.id, 'old', periodStart(lastMonth) + DAY);
		const unread = () => server.parley.context.rooms.listForUser(bob.id).find((r) => r.id === roomId)?.unread;
		await waitFor(() => unread() === 2, 5000, 'index');

		server.parley.context.rooms.removeMember(alice.id, roomId, bob.id);
		for (const client of [bobOld, bobNow]) expect((await closedWith(client)).code).toBe(CLOSE_FORBIDDEN);
		a.provider.destroy();
		aOld.provider.destroy();
	});

	it('keeps presence and calls on the main document: what is said on a month’s document reaches nobody', async () => {
		const roomId = monthlyRoom('Presence');
		const a = connect(server.wsUrl, documentName(roomId, now), alice);
		const aMain = connect(server.wsUrl, roomId, alice);
		const bMain = connect(server.wsUrl, roomId, bob);
		const bMonth = connect(server.wsUrl, documentName(roomId, now), bob);
		a.provider.awareness.setLocalStateField('user', { id: alice.id, name: 'Alice' });
		aMain.provider.awareness.setLocalStateField('user', { id: alice.id, name: 'Alice' });
		await waitFor(() => [...bMain.provider.awareness.getStates().values()].some((s) => s.user?.id === alice.id), 5000, 'presence');
		await new Promise((r) => setTimeout(r, 300));
		expect([...bMonth.provider.awareness.getStates().values()].filter((s) => s.user)).toEqual([]);
		awarenessProtocol.removeAwarenessStates(a.provider.awareness, [a.doc.clientID], 'test');
		for (const c of [a, aMain, bMain, bMonth]) c.provider.destroy();
	});

	it('deleting the room closes and unloads every one of its documents', async () => {
		const roomId = monthlyRoom('Doomed');
		const month = await rawSyncClient(server.wsUrl, documentName(roomId, now), bob);
		const main = await rawSyncClient(server.wsUrl, roomId, bob);
		await waitFor(() => server.parley.sync.loadedRooms().filter((n) => n.startsWith(roomId)).length === 2, 5000, 'loaded');
		await server.parley.context.rooms.delete(alice.id, roomId);
		for (const client of [month, main]) expect(await closedWith(client)).toEqual({ code: CLOSE_NOT_FOUND, reason: 'This room was deleted' });
		expect(server.parley.sync.loadedRooms().filter((n) => n.startsWith(roomId))).toEqual([]);
	});
});
