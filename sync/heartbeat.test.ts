import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MESSAGE_AWARENESS } from '../src/lib/core/chat/protocol.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { HEARTBEAT } from './protocol.ts';
import { liveDocument, rawSyncClient, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';

// y-websocket clients reconnect after 30 s without a message; a month's document has no presence to keep it talking,
// so the server tells a quiet connection now and then that the link is alive.

let server: SyncTestServer;
let alice: TestUser;
let roomId: string;

beforeAll(async () => {
	server = await startSyncTestServer({ SYNC_HEARTBEAT_SECONDS: '1' });
	alice = await server.signUp('Alice');
	roomId = createRoomWithMembers(server.parley.context.rooms, alice.id, { name: 'Quiet', memberIds: [] }).id;
});
afterAll(() => server.close());

describe('heartbeat', () => {
	it('a quiet month’s connection hears an empty presence update every interval, which changes nothing for a client', async () => {
		const client = await rawSyncClient(server.wsUrl, liveDocument(roomId), alice);
		const heartbeats = () => client.received.filter((frame) => frame.length === HEARTBEAT.length && frame.every((byte, i) => byte === HEARTBEAT[i])).length;
		await waitFor(() => heartbeats() >= 2, 10_000, 'two heartbeats');
		expect(client.closed()).toBeUndefined();

		// What a stock client does with it: reads an awareness update of no one.
		const decoder = decoding.createDecoder(HEARTBEAT);
		expect(decoding.readVarUint(decoder)).toBe(MESSAGE_AWARENESS);
		const awareness = new awarenessProtocol.Awareness(new Y.Doc());
		const changes: unknown[] = [];
		awareness.on('change', (change: unknown) => changes.push(change));
		awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'server');
		expect(changes).toEqual([]);
		awareness.destroy();
		client.ws.close();
	});
});
