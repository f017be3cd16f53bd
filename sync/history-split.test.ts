import { ulid } from 'ulid';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildHistoryRoom, storeHistoryRoom } from '../bench/support/history-room.ts';
import { parseMessageKey, parseReactionKey } from '../src/lib/core/chat/message-key.ts';
import { documentName, periodOf, periodOfEntry } from '../src/lib/core/chat/period.ts';
import { MESSAGES, REACTIONS, type MessageValue } from '../src/lib/core/chat/schema.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { splitSingleDocumentRooms } from './history-split.ts';
import { loadRoomDoc } from './room-load.ts';
import { SyncStore } from './store.ts';
import { connect, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';
import { message, send } from './test-messages.ts';

const quiet = createLogger('error');
const servers: SyncTestServer[] = [];
afterAll(async () => {
	for (const server of servers) await server.close().catch(() => {});
});

async function serverOn(dataDir?: string) {
	const server = await startSyncTestServer(dataDir ? { DATA_DIR: dataDir } : {});
	servers.push(server);
	return server;
}

/** Every entry of a document's root maps, as JSON: what a person can see of a room. */
function entries(doc: Y.Doc): Record<string, Record<string, unknown>> {
	return { [MESSAGES]: doc.getMap(MESSAGES).toJSON(), [REACTIONS]: doc.getMap(REACTIONS).toJSON() };
}

/** The room's entries across the documents of every month it has. */
function acrossMonths(db: SyncTestServer['parley']['context']['db'], roomId: string) {
	const store = new SyncStore(db);
	const periods = (db.prepare("select distinct period from sync_snapshot where roomId = ? and period != '' order by period").all(roomId) as { period: string }[]).map((r) => r.period);
	const all: Record<string, Record<string, unknown>> = { [MESSAGES]: {}, [REACTIONS]: {} };
	for (const period of periods) {
		const doc = loadRoomDoc(documentName(roomId, period), store, quiet).doc;
		for (const [root, map] of Object.entries(entries(doc))) {
			for (const key of Object.keys(map)) expect(periodOfEntry(root, key), `${key} is in the document of its month`).toBe(period);
			Object.assign(all[root], map);
		}
		doc.destroy();
	}
	return { periods, all };
}

const historyOf = (db: SyncTestServer['parley']['context']['db'], roomId: string) =>
	db.prepare('select history, legacyState from room where id = ?').get(roomId) as { history: string; legacyState: Uint8Array | null };

describe('splitting a room kept in one document by month, at start', () => {
	it('moves every message, edit, reaction and deletion of a 100,000-message room to the months they belong to, and the room goes on working', { timeout: 180_000 }, async () => {
		const before = await serverOn();
		const people: TestUser[] = await Promise.all(['Ann', 'Ben', 'Cid', 'Dee'].map((n) => before.signUp(n)));
		const [ann] = people;
		const roomId = createRoomWithMembers(before.parley.context.rooms, ann.id, { name: 'Since 2025', memberIds: people.slice(1).map((p) => p.id) }).id;
		const built = buildHistoryRoom({ count: 100_000, authors: people.map((p) => p.id), spanDays: 400, seed: 14, end: Date.now() - 60_000 });
		expect(built.stats.edited).toBeGreaterThan(0);
		expect(built.stats.deleted).toBeGreaterThan(0);
		expect(built.stats.reactions).toBeGreaterThan(0);
		// As a Parley from before monthly history left it: the whole history in the room's one document.
		storeHistoryRoom(before.parley.context.db, roomId, built);
		const old = new Y.Doc();
		Y.applyUpdate(old, built.update);
		const expected = entries(old);
		const dataDir = before.parley.context.config.dataDir;
		await before.close();

		// The next start splits it before anyone syncs.
		const after = await serverOn(dataDir);
		const { db } = after.parley.context;
		const { history, legacyState } = historyOf(db, roomId);
		expect(history).toBe('monthly');
		expect(Y.decodeStateVector(legacyState!)).toEqual(Y.decodeStateVector(Y.encodeStateVector(old)));
		const { periods, all } = acrossMonths(db, roomId);
		expect(periods.length).toBeGreaterThanOrEqual(13);
		expect(Object.keys(all[MESSAGES])).toHaveLength(100_000);
		// The same messages with the same text and edits, the same reactions, and nothing deleted came back.
		expect(all).toEqual(expected);
		// The main document is empty: it carries presence and calls only.
		expect(entries(loadRoomDoc(roomId, new SyncStore(db), quiet).doc)).toEqual({ [MESSAGES]: {}, [REACTIONS]: {} });
		// Unread counts and the search index follow each message to its month.
		const unplaced = db.prepare("select count(*) as n from chat_message where roomId = ? and period != strftime('%Y-%m', createdAt / 1000, 'unixepoch')").get(roomId) as { n: number };
		expect(unplaced.n).toBe(0);
		expect((db.prepare('select count(*) as n from chat_message where roomId = ?').get(roomId) as { n: number }).n).toBe(100_000);

		// Over the sync service: an edit of Ann's message from three months ago, in its month's document,
		// and one of her reactions taken back; a new message goes to this month.
		const threeMonthsAgo = periodOf(Date.now() - 92 * 86_400_000);
		const month = connect(after.wsUrl, documentName(roomId, threeMonthsAgo), ann);
		await waitFor(() => month.provider.synced, 20_000, 'the old month');
		const annKey = [...month.doc.getMap<MessageValue>(MESSAGES).keys()].find((key) => parseMessageKey(key)!.authorId === ann.id)!;
		expect(annKey).toBeDefined();
		const original = month.doc.getMap<MessageValue>(MESSAGES).get(annKey)!;
		month.doc.getMap(MESSAGES).set(annKey, { ...original, text: 'edited after the split', editedAt: Date.now() });
		const live = connect(after.wsUrl, documentName(roomId, periodOf(Date.now())), ann);
		await waitFor(() => live.provider.synced, 20_000, 'this month');
		const reaction = [...month.doc.getMap(REACTIONS).keys()].find((key) => parseReactionKey(key)!.userId === ann.id);
		expect(reaction, 'a reaction of Ann in that month').toBeDefined();
		month.doc.getMap(REACTIONS).delete(reaction!);
		const fresh = send(live.doc, ann.id, 'the first message after the split');

		// Another person sees all of it, from what the server stored.
		const ben = people[1];
		const benMonth = connect(after.wsUrl, documentName(roomId, threeMonthsAgo), ben);
		const benLive = connect(after.wsUrl, documentName(roomId, periodOf(Date.now())), ben);
		await waitFor(() => benMonth.doc.getMap<MessageValue>(MESSAGES).get(annKey)?.text === 'edited after the split', 20_000, 'the edit');
		await waitFor(() => benLive.doc.getMap(MESSAGES).has(fresh), 20_000, 'the new message');
		await waitFor(() => !benMonth.doc.getMap(REACTIONS).has(reaction!), 20_000, 'the reaction taken back');
		for (const peer of [month, live, benMonth, benLive]) peer.provider.destroy();
	});

	it('splits rooms one at a time: a split stopped half way leaves that room whole in one document, and the next start finishes it', async () => {
		const server = await serverOn();
		const [ann, ben] = await Promise.all(['Ann', 'Ben'].map((n) => server.signUp(n)));
		const { db } = server.parley.context;
		const store = new SyncStore(db);
		const DAY = 86_400_000;
		const rooms = ['First', 'Second', 'Third'].map((name) => {
			const roomId = createRoomWithMembers(server.parley.context.rooms, ann.id, { name, memberIds: [ben.id] }).id;
			// Three months of history in the room's one document, as before the split.
			const doc = new Y.Doc();
			for (const daysAgo of [70, 40, 10, 1]) {
				const key = `${ann.id}:${ulid(Date.now() - daysAgo * DAY)}`;
				doc.getMap(MESSAGES).set(key, message(key, `${name}, ${daysAgo} days ago`));
			}
			store.compact(roomId, 1, Y.encodeStateAsUpdate(doc));
			db.prepare("update room set history = 'single', createdAt = ? where id = ?").run(Date.now() - 100 * DAY, roomId);
			return { roomId, expected: entries(doc) };
		});

		// As if the process died (or the disk filled) after the second room's first month was written.
		let months = 0;
		const stopped = splitSingleDocumentRooms(db, quiet, {
			afterPeriod: (roomId) => {
				if (roomId === rooms[1].roomId && ++months === 2) throw new Error('the process stops here');
			}
		});
		expect(stopped).toMatchObject({ rooms: 2, failed: 1 });
		expect(historyOf(db, rooms[1].roomId).history).toBe('single');
		// Nothing of the interrupted room was half moved: its one document is as it was, and it has no months.
		expect(entries(loadRoomDoc(rooms[1].roomId, store, quiet).doc)).toEqual(rooms[1].expected);
		expect(acrossMonths(db, rooms[1].roomId).periods).toEqual([]);

		// The next start splits what is left, and only that.
		const splitBefore = acrossMonths(db, rooms[0].roomId);
		expect(splitSingleDocumentRooms(db, quiet)).toMatchObject({ rooms: 1, failed: 0 });
		expect(splitSingleDocumentRooms(db, quiet)).toMatchObject({ rooms: 0, failed: 0 });
		for (const { roomId, expected } of rooms) {
			expect(historyOf(db, roomId).history).toBe('monthly');
			const { periods, all } = acrossMonths(db, roomId);
			expect(periods).toHaveLength(new Set(Object.keys(expected[MESSAGES]).map((key) => periodOfEntry(MESSAGES, key))).size);
			expect(all).toEqual(expected);
		}
		expect(acrossMonths(db, rooms[0].roomId)).toEqual(splitBefore);
	});
});

