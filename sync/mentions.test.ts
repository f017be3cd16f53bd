// Mentions over the real sync service: the server decides who may be mentioned, whatever a client writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageKey, parseMessageKey } from '../src/lib/core/chat/message-key.ts';
import { MESSAGES } from '../src/lib/core/chat/schema.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { liveDocument, rawSyncClient, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';

let server: SyncTestServer;
let ann: TestUser;
let bo: TestUser;
let outsider: TestUser;

beforeAll(async () => {
	server = await startSyncTestServer();
	[ann, bo, outsider] = await Promise.all(['Ann', 'Bo', 'Out'].map((n) => server.signUp(n)));
});
afterAll(() => server.close());

/** One message by `author` as a whole update, from a document of its own. */
function messageUpdate(author: TestUser, text: string, mentions: string[]) {
	const doc = new Y.Doc();
	const key = newMessageKey(author.id);
	doc.getMap(MESSAGES).set(key, { text, createdAt: parseMessageKey(key)!.time, mentions });
	return Y.encodeStateAsUpdate(doc);
}

describe('mentions on the server', () => {
	it('refuses a mention of someone outside the room, and one the text does not carry; indexes a real one for the lobby', async () => {
		const rooms = server.parley.context.rooms;
		const room = createRoomWithMembers(rooms, ann.id, { name: 'Team', memberIds: [bo.id] }).id;
		const stored = () => (server.parley.context.db.prepare('select count(*) as n from sync_update where roomId = ?').get(room) as { n: number }).n;
		const forger = await rawSyncClient(server.wsUrl, liveDocument(room), ann);
		forger.sendUpdate(messageUpdate(ann, `hey <@${outsider.id}>`, [outsider.id]));
		await waitFor(() => forger.denied.length > 0, 5000, 'refusal');
		expect(forger.denied[0]).toBe('update rejected: a message can only mention members of the room');
		forger.ws.close();

		const hider = await rawSyncClient(server.wsUrl, liveDocument(room), ann);
		hider.sendUpdate(messageUpdate(ann, 'nothing to see', [bo.id]));
		await waitFor(() => hider.denied.length > 0, 5000, 'refusal');
		expect(hider.denied[0]).toMatch(/^update rejected: the text does not mention/);
		hider.ws.close();
		expect(stored()).toBe(0);

		const honest = await rawSyncClient(server.wsUrl, liveDocument(room), ann);
		honest.sendUpdate(messageUpdate(ann, `lunch, <@${bo.id}>?`, [bo.id]));
		const summary = () => rooms.listForUser(bo.id).find((r) => r.id === room)!;
		await waitFor(() => summary().mentions === 1, 5000, 'the mention in the lobby');
		expect(summary().unread).toBe(1);
		expect(honest.denied).toEqual([]);
		expect(rooms.listForUser(outsider.id)).toEqual([]);
		honest.ws.close();
	});
});
