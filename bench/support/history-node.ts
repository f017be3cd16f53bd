// `node --expose-gc bench/support/history-node.ts <database file> <roomId> <userId>`: where the time
// goes for one room document, measured in a fresh Node process against a stopped server's database.
// Prints one JSON object (last line of stdout):
//   load_cold_ms      new RoomSession(), the first in this process: what the server does when the
//                     first person connects to the room (SQLite read + Y.applyUpdate)
//   load_warm_ms      the same again (median of 3), the JIT warm
//   sqlite_read_ms    SyncStore.load alone (median of 3)
//   heap_mb           heap a loaded RoomSession keeps (what the server holds per open room)
//   encode_ms         Y.encodeStateAsUpdate of the whole document: the server does it to sync a new
//                     device and, with the SQLite write, to compact after every 200 updates
//   compact_ms        RoomSession.compact(): encode + write the snapshot (the same bytes again)
//   state_vector_bytes Y.encodeStateVector: sent with every acknowledgement of an update
//   apply_ms          Y.applyUpdate of the stored document into a fresh Y.Doc: the browser's y-indexeddb open
//   apply_listened_ms the same into a Y.Doc with an 'update' listener, as in the browser (y-indexeddb and
//                     y-websocket listen from the start): Yjs then encodes everything it applied again,
//                     to hand it to the listeners, which ignore it
//   sort_ms           new SortedKeys(messages.keys()) (median of 3)
//   sort_decorated_ms the same order with each key's ULID sliced out once, not parsed in every
//                     comparison (what SortedKeys could do instead; checked to give the same order)
//   chat_open_ms      the app's RoomChat once the document is loaded: sort + reactions + the message list
//   chat_new_message_ms one new message in the loaded room: Y.Map set, RoomChat's observer, the new
//                     message list (median of 5)
//   chat_first_sync_ms RoomChat already loaded (empty IndexedDB) when the whole document arrives in one
//                     update: the path a new device takes on its first online open (one sample)
import { DatabaseSync } from 'node:sqlite';
import * as Y from 'yjs';
import { SortedKeys } from '../../src/lib/core/chat/sorted-keys.ts';
import { newMessageKey, parseMessageKey } from '../../src/lib/core/chat/message-key.ts';
import { MESSAGES, type MessageValue } from '../../src/lib/core/chat/schema.ts';
import type { Logger } from '../../src/lib/server/log.ts';
import { createMetrics } from '../../src/lib/server/metrics.ts';
import { parseConfig } from '../../src/lib/server/config.ts';
import { RoomSession } from '../../sync/room-session.ts';
import { SyncStore } from '../../sync/store.ts';
import { fakeConnection, loadRoomChat } from './history-room-chat.ts';

const [file, roomId, userId] = process.argv.slice(2);
if (!file || !roomId || !userId) {
	console.error('usage: node --expose-gc bench/support/history-node.ts <database file> <roomId> <userId>');
	process.exit(2);
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error: (event, fields) => console.error(event, fields) };
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;
function time(f: () => void): number {
	const started = performance.now();
	f();
	return performance.now() - started;
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

const db = new DatabaseSync(file);
db.exec('pragma journal_mode = wal; pragma synchronous = normal; pragma foreign_keys = on;');
const store = new SyncStore(db);
const limits = parseConfig({}).sync;
const metrics = createMetrics();

// Server side.
let session: RoomSession | undefined;
gc();
const heapBefore = process.memoryUsage().heapUsed;
const loadCold = time(() => (session = new RoomSession({ roomId, store, log: quiet, metrics, limits, onActivity: () => {} })));
gc();
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
const encode = median([0, 1, 2].map(() => time(() => Y.encodeStateAsUpdate(session!.doc))));
const stateVectorBytes = Y.encodeStateVector(session!.doc).byteLength;
// RoomSession.compact() only writes when updates arrived since the snapshot: do what it does.
const lastSeq = store.load(roomId).lastSeq;
const compact = time(() => store.compact(roomId, lastSeq, Y.encodeStateAsUpdate(session!.doc)));
session!.destroy();
session = undefined;
const loadWarm = median(
	[0, 1, 2].map(() => {
		gc();
		const t = time(() => (session = new RoomSession({ roomId, store, log: quiet, metrics, limits, onActivity: () => {} })));
		session!.destroy();
		return t;
	})
);
const sqliteRead = median([0, 1, 2].map(() => time(() => store.load(roomId))));
const snapshot = store.load(roomId).snapshot!;
db.close();

// Browser side, in Node's V8: the same modules the room page runs.
const RoomChat = await loadRoomChat();
/** Sorted as compareMessageKeys sorts (ULID, then the whole key), each ULID computed once. */
function sortDecorated(keys: Iterable<string>): string[] {
	const decorated = [...keys].map((key) => ({ key, ulid: key.slice(key.lastIndexOf(':') + 1) }));
	decorated.sort((a, b) => (a.ulid !== b.ulid ? (a.ulid < b.ulid ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	return decorated.map((d) => d.key);
}
const sortDecoratedTimes: number[] = [];
const apply: number[] = [];
const applyListened: number[] = [];
const sort: number[] = [];
const chatOpen: number[] = [];
for (let i = 0; i < 3; i++) {
	gc();
	const listened = new Y.Doc();
	listened.on('update', () => {});
	applyListened.push(time(() => Y.applyUpdate(listened, snapshot)));
	listened.destroy();
	gc();
	const connection = fakeConnection();
	apply.push(time(() => Y.applyUpdate(connection.doc, snapshot)));
	let order: readonly string[] = [];
	sort.push(time(() => (order = new SortedKeys(connection.doc.getMap(MESSAGES).keys()).keys)));
	let decorated: string[] = [];
	sortDecoratedTimes.push(time(() => (decorated = sortDecorated(connection.doc.getMap(MESSAGES).keys()))));
	if (decorated.some((key, at) => key !== order[at])) throw new Error('the decorated sort gives another order than SortedKeys');
	const chat = new RoomChat(connection, userId);
	const started = performance.now();
	connection.resolveLoaded();
	await connection.loaded;
	await settle();
	chatOpen.push(performance.now() - started);
	if (!chat.loaded || !chat.messages.length) throw new Error('RoomChat did not load the messages');
	chat.destroy();
	connection.doc.destroy();
}

// One more message in a loaded room: what every message sent or received costs the page.
gc();
const open = fakeConnection();
Y.applyUpdate(open.doc, snapshot);
const openChat = new RoomChat(open, userId);
open.resolveLoaded();
await open.loaded;
await settle();
const before = openChat.messages.length;
const newMessage = [0, 1, 2, 3, 4].map(() => {
	const key = newMessageKey(userId);
	return time(() => open.doc.getMap<MessageValue>(MESSAGES).set(key, { text: 'one more message', createdAt: parseMessageKey(key)!.time }));
});
if (openChat.messages.length !== before + 5) throw new Error('RoomChat did not list the new messages');
openChat.destroy();
open.doc.destroy();

gc();
const connection = fakeConnection();
const chat = new RoomChat(connection, userId);
connection.resolveLoaded();
await connection.loaded;
await settle();
const firstSync = time(() => Y.applyUpdate(connection.doc, snapshot));
const messages = chat.messages.length;
chat.destroy();

console.log(
	JSON.stringify({
		messages,
		load_cold_ms: round(loadCold),
		load_warm_ms: round(loadWarm),
		sqlite_read_ms: round(sqliteRead),
		heap_mb: round(heapMb),
		encode_ms: round(encode),
		compact_ms: round(compact),
		state_vector_bytes: stateVectorBytes,
		apply_ms: round(median(apply)),
		apply_listened_ms: round(median(applyListened)),
		sort_ms: round(median(sort)),
		sort_decorated_ms: round(median(sortDecoratedTimes)),
		chat_open_ms: round(median(chatOpen)),
		chat_new_message_ms: round(median(newMessage)),
		chat_first_sync_ms: round(firstSync)
	})
);
