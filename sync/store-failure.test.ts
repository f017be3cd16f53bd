// When SQLite refuses a write (disk full, say): the change is neither relayed nor acknowledged,
// its sender is told to send it again, other rooms written in the same turn are not affected,
// and once the store works again the change arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { connect, liveDocument, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';
import { send, texts } from './test-messages.ts';

let server: SyncTestServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
	server = await startSyncTestServer();
	[alice, bob] = await Promise.all(['Alice', 'Bob'].map((n) => server.signUp(n)));
});
afterAll(() => server.close());

const db = () => server.parley.context.db;
const stored = (room: string) => (db().prepare('select count(*) as n from sync_update where roomId = ?').get(room) as { n: number }).n;
const newRoom = (name: string) => createRoomWithMembers(server.parley.context.rooms, alice.id, { name, memberIds: [bob.id] }).id;

async function pair(room: string) {
	const a = connect(server.wsUrl, liveDocument(room), alice, new Y.Doc(), { ack: '1' });
	const b = connect(server.wsUrl, liveDocument(room), bob);
	await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'sync');
	return { a, b };
}

describe('a write the store refuses', () => {
	it('is not relayed, its sender reconnects and sends it again, and another room written in the same turn is stored', async () => {
		const broken = newRoom('Broken disk');
		const healthy = newRoom('Healthy');
		const one = await pair(broken);
		const two = await pair(healthy);
		const closes: number[] = [];
		one.a.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
		// A real SQLite failure, for this room only.
		db().exec(`create trigger fail_broken before insert on sync_update when new.roomId = '${broken}' begin select raise(abort, 'disk full'); end`);
		try {
			// Both in the same turn of the server's event loop, most likely in one batch.
			send(one.a.doc, alice.id, 'lost for now');
			send(two.a.doc, alice.id, 'fine');
			await waitFor(() => texts(two.b.doc).includes('fine'), 5000, 'the healthy room relays');
			expect(stored(healthy)).toBe(1);
			await waitFor(() => closes.includes(1011), 5000, 'the sender told to send again');
			expect(texts(one.b.doc)).toEqual([]);
			expect(stored(broken)).toBe(0);
		} finally {
			db().exec('drop trigger fail_broken');
		}
		// The store works again: the sender reconnects and its change arrives, once.
		await waitFor(() => texts(one.b.doc).includes('lost for now'), 10_000, 'the change arrives after the store recovers');
		expect(stored(broken)).toBeGreaterThanOrEqual(1);
		expect(texts(one.b.doc)).toEqual(['lost for now']);
		for (const peer of [one.a, one.b, two.a, two.b]) peer.provider.destroy();
	});
});
