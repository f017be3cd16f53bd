import * as prng from 'lib0/prng';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ulid } from 'ulid';
import { parseMessageKey, reactionKey } from '../src/lib/core/chat/message-key.ts';
import { documentName, nextPeriod, periodOf, periodStart, previousPeriod, type Period } from '../src/lib/core/chat/period.ts';
import { MESSAGES, REACTIONS } from '../src/lib/core/chat/schema.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { connect, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';

// Replay a failure with SEED=<seed> npx vitest run sync/convergence.
const SEED = Number(process.env.SEED ?? 20261121);
const CLIENTS = 8;
const STEPS = Number(process.env.STEPS ?? 400);

let server: SyncTestServer;
beforeAll(async () => {
	server = await startSyncTestServer({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' });
});
afterAll(() => server.close());

type Client = { user: TestUser; docs: Map<Period, ReturnType<typeof connect>>; sent: Map<string, string>; connected: boolean };

const snapshot = (doc: Y.Doc) =>
	JSON.stringify({
		messages: Object.fromEntries([...doc.getMap(MESSAGES).entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
		reactions: [...doc.getMap(REACTIONS).keys()].sort()
	});

const DAY = 86_400_000;

it(`${CLIENTS} clients sending, editing, deleting and dropping off across three months converge with nothing lost or duplicated (seed ${SEED})`, { timeout: 120_000 }, async () => {
	const rng = prng.create(SEED);
	const users = await Promise.all(['Ann', 'Ben', 'Cid', 'Dee'].map((n) => server.signUp(n)));
	const roomId = createRoomWithMembers(server.parley.context.rooms, users[0].id, { name: 'Convergence', memberIds: users.slice(1).map((u) => u.id) }).id;
	// The room and its members go back three months: writes land in any of them (offline writes, edits of old messages).
	const { db } = server.parley.context;
	db.prepare('update room set createdAt = ? where id = ?').run(Date.now() - 70 * DAY, roomId);
	db.prepare('update room_member set joinedAt = ? where roomId = ?').run(Date.now() - 70 * DAY, roomId);
	const thisMonth = periodOf(Date.now());
	const periods = [previousPeriod(previousPeriod(thisMonth)), previousPeriod(thisMonth), thisMonth];
	/** A time in a month, not after now. */
	const timeIn = (period: Period) => {
		const start = periodStart(period);
		const end = Math.min(periodStart(nextPeriod(period)), Date.now()) - 1;
		return start + Math.floor(prng.real53(rng) * (end - start));
	};
	const periodOfKey = (key: string) => periodOf(parseMessageKey(key)!.time);

	// Two devices per person, each with the three months open.
	const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => {
		const user = users[i % users.length];
		const docs = new Map(periods.map((period) => [period, connect(server.wsUrl, documentName(roomId, period), user)]));
		return { user, docs, sent: new Map<string, string>(), connected: true };
	});
	const allSynced = () => clients.every((c) => [...c.docs.values()].every((d) => d.provider.synced));
	await waitFor(allSynced, 10_000, 'initial sync');

	const deleted = new Set<string>();
	let counter = 0;
	for (let step = 0; step < STEPS; step++) {
		const client = prng.oneOf(rng, clients);
		const roll = prng.real53(rng);
		const own = [...client.sent.keys()];
		if (roll < 0.4 || own.length === 0) {
			const period = prng.oneOf(rng, periods);
			const key = `${client.user.id}:${ulid(timeIn(period))}`;
			const text = `m${counter++} from ${client.user.name}`;
			client.docs.get(period)!.doc.getMap(MESSAGES).set(key, { text, createdAt: parseMessageKey(key)!.time });
			client.sent.set(key, text);
		} else if (roll < 0.6) {
			// Each device edits and deletes only what it wrote itself, so every key has one writer; each in its month.
			const key = prng.oneOf(rng, own);
			const text = `${client.sent.get(key)} (edited ${step})`;
			client.docs.get(periodOfKey(key))!.doc.getMap(MESSAGES).set(key, { text, createdAt: parseMessageKey(key)!.time, editedAt: Date.now() });
			client.sent.set(key, text);
		} else if (roll < 0.7) {
			const key = prng.oneOf(rng, own);
			client.docs.get(periodOfKey(key))!.doc.getMap(MESSAGES).delete(key);
			client.sent.delete(key);
			deleted.add(key);
		} else if (roll < 0.8) {
			const doc = client.docs.get(prng.oneOf(rng, periods))!.doc;
			const target = prng.oneOf(rng, [...doc.getMap(MESSAGES).keys()]);
			if (target) doc.getMap(REACTIONS).set(reactionKey(target, client.user.id, prng.oneOf(rng, ['👍', '🎉', '❤️'])), { at: Date.now() });
		} else {
			// The device goes offline, or back: all of its documents at once.
			for (const { provider } of client.docs.values()) {
				if (client.connected) provider.disconnect();
				else provider.connect();
			}
			client.connected = !client.connected;
		}
		if (prng.bool(rng)) await new Promise((r) => setTimeout(r, prng.int32(rng, 0, 3)));
	}

	for (const client of clients) if (!client.connected) for (const { provider } of client.docs.values()) provider.connect();
	const converged = () => periods.every((period) => clients.every((c) => snapshot(c.docs.get(period)!.doc) === snapshot(clients[0].docs.get(period)!.doc)));
	await waitFor(() => allSynced() && converged(), 60_000, 'convergence');

	const expected = new Map<string, string>();
	for (const client of clients) for (const [key, text] of client.sent) expected.set(key, text);
	const final = new Map<string, { text: string }>();
	for (const period of periods) {
		for (const [key, value] of clients[0].docs.get(period)!.doc.getMap<{ text: string }>(MESSAGES)) {
			expect(periodOfKey(key), `${key} is in the document of its month`).toBe(period);
			expect(final.has(key), `${key} is in one document`).toBe(false);
			final.set(key, value);
		}
	}
	expect(final.size, 'no message lost or duplicated').toBe(expected.size);
	for (const [key, text] of expected) expect(final.get(key)?.text, key).toBe(text);
	for (const key of deleted) expect(final.has(key), `${key} stays deleted`).toBe(false);
	for (const period of periods) expect(clients[0].docs.get(period)!.doc.getMap(MESSAGES).size, `messages in ${period}`).toBeGreaterThan(0);

	// The server's stored documents are the same: a fresh client gets exactly this.
	for (const client of clients) for (const { provider } of client.docs.values()) provider.destroy();
	for (const period of periods) {
		const late = connect(server.wsUrl, documentName(roomId, period), users[0]);
		await waitFor(() => late.provider.synced && snapshot(late.doc) === snapshot(clients[0].docs.get(period)!.doc), 10_000, `late joiner, ${period}`);
		late.provider.destroy();
	}
});
