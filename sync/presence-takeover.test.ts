// A reloaded page writes with the Yjs client id its last load had (src/lib/chat/client-id.ts), and its
// presence goes by that id: often while the server still holds the old page's connection.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MESSAGE_AWARENESS } from '../src/lib/core/chat/protocol.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { connect, rawSyncClient, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';

let server: SyncTestServer;
let ann: TestUser;
let bob: TestUser;
let mallory: TestUser;

beforeAll(async () => {
	server = await startSyncTestServer();
	[ann, bob, mallory] = await Promise.all(['Ann', 'Bob', 'Mallory'].map((n) => server.signUp(n)));
});
afterAll(() => server.close());

const newRoom = () => createRoomWithMembers(server.parley.context.rooms, ann.id, { name: 'Presence', memberIds: [bob.id, mallory.id] }).id;

type Page = ReturnType<typeof connect> & { id: number };

/** Ann's page with this presence; `reloadOf` makes it a reload of that page: the same client id, its presence clock going on from there. */
function annsPage(room: string, page: string, reloadOf?: Page): Page {
	const doc = new Y.Doc();
	if (reloadOf) doc.clientID = reloadOf.id;
	const awareness = new Awareness(doc);
	if (reloadOf) awareness.meta.set(doc.clientID, { clock: reloadOf.provider.awareness.meta.get(reloadOf.id)!.clock, lastUpdated: Date.now() });
	awareness.setLocalState({ user: { id: ann.id, name: 'Ann' }, page });
	return { ...connect(server.wsUrl, room, ann, doc, {}, awareness), id: doc.clientID };
}

/** What Bob's browser sees of Ann's presence under a client id, and every removal it is told of. */
async function bobWatching(room: string) {
	const watcher = connect(server.wsUrl, room, bob);
	await waitFor(() => watcher.provider.synced, 5000, 'sync');
	const removed: number[] = [];
	watcher.provider.awareness.on('change', (change: { removed: number[] }) => removed.push(...change.removed));
	return { watcher, removed, page: (client: number) => (watcher.provider.awareness.getStates().get(client) as { page?: string } | undefined)?.page };
}

const syncConnections = async () => (await server.parley.context.metrics.connections.get()).values.find((v) => v.labels.service === 'sync')?.value ?? 0;

async function untilConnections(n: number) {
	const started = Date.now();
	while ((await syncConnections()) !== n) {
		if (Date.now() - started > 5000) throw new Error(`timed out waiting for ${n} sync connections`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

describe('a client id held by one connection and claimed by another', () => {
	it('moves to the same person’s newer connection, and the old connection’s close then removes nothing', async () => {
		const room = newRoom();
		const bobSees = await bobWatching(room);
		const old = annsPage(room, 'old');
		await waitFor(() => bobSees.page(old.id) === 'old', 5000, 'the old page');
		const withOld = await syncConnections();

		// The reload's socket opens before the old socket's close reaches the server.
		const reloaded = annsPage(room, 'reloaded', old);
		await waitFor(() => bobSees.page(old.id) === 'reloaded', 5000, 'the reloaded page');
		old.provider.destroy();
		await untilConnections(withOld);
		expect(bobSees.page(old.id)).toBe('reloaded');
		expect(bobSees.removed).not.toContain(old.id);
		// Someone who opens the room now sees it too: the server kept it.
		const late = await bobWatching(room);
		await waitFor(() => late.page(old.id) === 'reloaded', 5000, 'the reloaded page, for a newcomer');

		// It is the newer connection's now: it changes it, and its close removes it.
		reloaded.provider.awareness.setLocalStateField('page', 'reloaded, then changed');
		await waitFor(() => bobSees.page(old.id) === 'reloaded, then changed', 5000, 'the change');
		reloaded.provider.destroy();
		await waitFor(() => bobSees.removed.includes(old.id), 5000, 'the removal');
		for (const w of [bobSees, late]) w.watcher.provider.destroy();
	});

	it('is refused to another person, whose close leaves it with its holder', async () => {
		const room = newRoom();
		const bobSees = await bobWatching(room);
		const held = annsPage(room, 'ann’s');
		await waitFor(() => bobSees.page(held.id) === 'ann’s', 5000, 'Ann’s page');
		const thief = await rawSyncClient(server.wsUrl, room, mallory);
		for (const [clock, state] of [[1_000, { user: { id: mallory.id, name: 'Mallory' }, page: 'mallory’s' }], [1_001, { page: 'mallory’s' }]] as const) {
			thief.sendRaw(awarenessFrame(held.id, clock, state));
		}
		await waitFor(() => thief.denied.length === 2, 5000, 'the refusals');
		expect(thief.denied).toEqual(['presence refused: that presence belongs to someone else', 'presence refused: that presence belongs to someone else']);
		expect(bobSees.page(held.id)).toBe('ann’s');
		const before = await syncConnections();
		thief.ws.close();
		await untilConnections(before - 1);
		expect(bobSees.page(held.id)).toBe('ann’s');
		expect(bobSees.removed).not.toContain(held.id);
		held.provider.destroy();
		bobSees.watcher.provider.destroy();
	});
});

function awarenessFrame(client: number, clock: number, state: unknown): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, 1);
	encoding.writeVarUint(inner, client);
	encoding.writeVarUint(inner, clock);
	encoding.writeVarString(inner, JSON.stringify(state));
	const frame = encoding.createEncoder();
	encoding.writeVarUint(frame, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(frame, encoding.toUint8Array(inner));
	return encoding.toUint8Array(frame);
}
