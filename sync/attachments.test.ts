// Files in the room document, against the real server: a message may only attach what its author stored in that room.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { attachmentOf } from '../src/lib/chat/outbox.ts';
import { newMessageKey, parseMessageKey } from '../src/lib/core/chat/message-key.ts';
import { MESSAGES, type Attachment } from '../src/lib/core/chat/schema.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { connect, liveDocument, rawSyncClient, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';

let server: SyncTestServer;
let alice: TestUser;
let mallory: TestUser;

beforeAll(async () => {
	server = await startSyncTestServer();
	[alice, mallory] = await Promise.all(['Alice', 'Mallory'].map((n) => server.signUp(n)));
});
afterAll(() => server.close());

const newRoom = (name: string, owner = alice, others = [mallory]) => createRoomWithMembers(server.parley.context.rooms, owner.id, { name, memberIds: others.map((p) => p.id) }).id;
const upload = (roomId: string, user: TestUser, name: string) =>
	server.parley.context.files.upload({ roomId, userId: user.id, name, body: Readable.from([Buffer.from(`%PDF-1.4 ${name} ${Math.random()}`)]) });
const attachedTo = (fileId: string) => (server.parley.context.db.prepare('select messageKey from file where id = ?').get(fileId) as { messageKey: string | null }).messageKey;

/** An update writing one message with files, as `user`'s browser would, from the room's current state. */
async function messageUpdate(roomId: string, user: TestUser, files: Attachment[]) {
	const peer = connect(server.wsUrl, liveDocument(roomId), user);
	await waitFor(() => peer.provider.synced, 5000, 'sync');
	const before = Y.encodeStateVector(peer.doc);
	peer.provider.destroy();
	const key = newMessageKey(user.id);
	peer.doc.getMap(MESSAGES).set(key, { text: '', createdAt: parseMessageKey(key)!.time, files });
	return { key, update: Y.encodeStateAsUpdate(peer.doc, before) };
}

async function refusal(roomId: string, user: TestUser, files: Attachment[]) {
	const { update } = await messageUpdate(roomId, user, files);
	const client = await rawSyncClient(server.wsUrl, liveDocument(roomId), user);
	client.sendUpdate(update);
	await waitFor(() => client.denied.length > 0, 5000, 'refusal');
	client.ws.close();
	return client.denied[0];
}

describe('attachments in the room document', () => {
	it('are stored when the author uploaded the file to this room, and the file is then attached to that message', async () => {
		const room = newRoom('Trip');
		const record = await upload(room, alice, 'tickets.pdf');
		const a = connect(server.wsUrl, liveDocument(room), alice, new Y.Doc(), { ack: '1' });
		await waitFor(() => a.provider.synced, 5000, 'sync');
		const key = newMessageKey(alice.id);
		a.doc.getMap(MESSAGES).set(key, { text: 'tickets', createdAt: parseMessageKey(key)!.time, files: [attachmentOf(record)] });
		await waitFor(() => attachedTo(record.id) === key, 5000, 'the file attached to the message');
		a.provider.destroy();
	});

	it('are refused for a file of another room, someone else’s upload, a file already attached, and a false description', async () => {
		const room = newRoom('Shared');
		const elsewhere = newRoom('Private', alice, []);
		const other = await upload(elsewhere, alice, 'secret.pdf');
		// Mallory knows the id and hash of Alice's file in a room he is not in: it reads as missing.
		const forged = { ...attachmentOf(other) };
		expect(await refusal(room, mallory, [forged])).toBe('update rejected: the message attaches a file the server does not have');

		const alicesHere = await upload(room, alice, 'minutes.pdf');
		expect(await refusal(room, mallory, [attachmentOf(alicesHere)])).toBe('update rejected: you can only attach files you uploaded');

		const mine = await upload(room, mallory, 'mine.pdf');
		expect(await refusal(room, mallory, [{ ...attachmentOf(mine), type: 'text/html' }])).toBe('update rejected: the attachment does not match the stored file');
		expect(attachedTo(mine.id)).toBeNull();

		const { key, update } = await messageUpdate(room, mallory, [attachmentOf(mine)]);
		const client = await rawSyncClient(server.wsUrl, liveDocument(room), mallory);
		client.sendUpdate(update);
		await waitFor(() => attachedTo(mine.id) === key, 5000, 'attached');
		client.ws.close();
		expect(await refusal(room, mallory, [attachmentOf(mine)])).toBe('update rejected: a file can be attached to one message only');
	});
});
