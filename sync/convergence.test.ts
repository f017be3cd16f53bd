import * as prng from 'lib0/prng';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageKey, parseMessageKey, reactionKey } from '../src/lib/core/chat/message-key.ts';
import { MESSAGES, REACTIONS } from '../src/lib/core/chat/schema.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { connect, liveDocument, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';

// Replay a failure with SEED=<seed> npx vitest run sync/convergence.
const SEED = Number(process.env.SEED ?? 20261121);
const CLIENTS = 8;
const STEPS = Number(process.env.STEPS ?? 400);

let server: SyncTestServer;
beforeAll(async () => {
	server = await startSyncTestServer({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' });
});
afterAll(() => server.close());

type Client = ReturnType<typeof connect> & { user: TestUser; sent: Map<string, string>; connected: boolean };

const snapshot = (doc: Y.Doc) =>
	JSON.stringify({
		messages: Object.fromEntries([...doc.getMap(MESSAGES).entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
		reactions: [...doc.getMap(REACTIONS).keys()].sort()
	});

it(`${CLIENTS} clients sending, editing, deleting and dropping off converge with nothing lost or duplicated (seed ${SEED})`, { timeout: 120_000 }, async () => {
	const rng = prng.create(SEED);
	const users = await Promise.all(['Ann', 'Ben', 'Cid', 'Dee'].map((n) => server.signUp(n)));
	const roomId = createRoomWithMembers(server.parley.context.rooms, users[0].id, { name: 'Convergence', memberIds: users.slice(1).map((u) => u.id) }).id;

	// Two devices per person.
	const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => {
		const user = users[i % users.length];
		return { ...connect(server.wsUrl, liveDocument(roomId), user), user, sent: new Map<string, string>(), connected: true };
	});
	await waitFor(() => clients.every((c) => c.provider.synced), 10_000, 'initial sync');

	const deleted = new Set<string>();
	let counter = 0;
	for (let step = 0; step < STEPS; step++) {
		const client = prng.oneOf(rng, clients);
		const messages = client.doc.getMap(MESSAGES);
		const roll = prng.real53(rng);
		const own = [...client.sent.keys()];
		if (roll < 0.4 || own.length === 0) {
			const key = newMessageKey(client.user.id);
			const text = `m${counter++} from ${client.user.name}`;
			messages.set(key, { text, createdAt: parseMessageKey(key)!.time });
			client.sent.set(key, text);
		} else if (roll < 0.6) {
			// Each device edits and deletes only what it wrote itself, so every key has one writer.
			const key = prng.oneOf(rng, own);
			const text = `${client.sent.get(key)} (edited ${step})`;
			messages.set(key, { text, createdAt: parseMessageKey(key)!.time, editedAt: Date.now() });
			client.sent.set(key, text);
		} else if (roll < 0.7) {
			const key = prng.oneOf(rng, own);
			messages.delete(key);
			client.sent.delete(key);
			deleted.add(key);
		} else if (roll < 0.8) {
			const target = prng.oneOf(rng, [...messages.keys()]);
			if (target) client.doc.getMap(REACTIONS).set(reactionKey(target, client.user.id, prng.oneOf(rng, ['👍', '🎉', '❤️'])), { at: Date.now() });
		} else {
			if (client.connected) client.provider.disconnect();
			else client.provider.connect();
			client.connected = !client.connected;
		}
		if (prng.bool(rng)) await new Promise((r) => setTimeout(r, prng.int32(rng, 0, 3)));
	}

	for (const client of clients) if (!client.connected) client.provider.connect();
	await waitFor(() => clients.every((c) => c.provider.synced && snapshot(c.doc) === snapshot(clients[0].doc)), 60_000, 'convergence');

	const expected = new Map<string, string>();
	for (const client of clients) for (const [key, text] of client.sent) expected.set(key, text);
	const final = clients[0].doc.getMap<{ text: string }>(MESSAGES);
	expect(final.size, 'no message lost or duplicated').toBe(expected.size);
	for (const [key, text] of expected) expect(final.get(key)?.text, key).toBe(text);
	for (const key of deleted) expect(final.has(key), `${key} stays deleted`).toBe(false);

	// The server's stored document is the same: a fresh client gets exactly this.
	for (const client of clients) client.provider.destroy();
	const late = connect(server.wsUrl, liveDocument(roomId), users[0]);
	await waitFor(() => late.provider.synced && snapshot(late.doc) === snapshot(clients[0].doc), 10_000, 'late joiner');
	late.provider.destroy();
});
