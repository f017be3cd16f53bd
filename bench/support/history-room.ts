// A room document with a long history, built in Node the way the browsers would have written it,
// and stored straight into a (stopped) server's SQLite database. Used by bench/history-open.ts.
//
// What the document looks like, seeded so every run builds the same one:
// - `messages` Y.Map: keys `<authorId>:<ulid>` (message-key.ts), values `{ text, createdAt }` with
//   createdAt = the ULID's time; texts of 20–200 characters (mostly short, some with a link);
//   3 % replies (`replyTo` a recent message), 2 % edited (set again with `editedAt`), and 0.5 %
//   extra messages deleted by their author, so `count` messages remain.
// - `reactions` Y.Map: about 5 % of messages get 1–3 reactions from other members.
// - Authors are the room's members with uneven shares; times are spread over `spanDays`, busier in
//   the day than at night, the newest a minute ago.
// - Every "session" (an author's run of messages with no gap over 3 hours) writes with a fresh Yjs
//   client id, as every page load in the browser does (RoomConnection makes a new Y.Doc); each id is
//   bound to its author in sync_client, so the server would accept further updates from them.
import type { DatabaseSync } from 'node:sqlite';
import { ulid } from 'ulid';
import * as Y from 'yjs';
import { MESSAGES, REACTIONS, type MessageValue, type ReactionValue } from '../../src/lib/core/chat/schema.ts';
import { transaction } from '../../src/lib/server/db.ts';
import { SyncStore, type IndexedMessage } from '../../sync/store.ts';
import { documentName, periodOf, periodStart, type Period } from '../../src/lib/core/chat/period.ts';
import { mulberry32 } from './seeded.ts';

export type HistoryRoomOptions = {
	/** Messages left in the document (deleted ones come on top). */
	count: number;
	/** Member ids, most active first; the first few write most of the messages. */
	authors: string[];
	spanDays: number;
	seed: number;
	/** Time of the newest message. */
	end: number;
	/**
	 * The last 30 days' messages are written in the month of `end` so far instead, so that the
	 * month a room opens on holds a full month's share whatever the day of the month the run is on.
	 */
	fullCurrentMonth?: boolean;
};

export type HistoryRoom = {
	update: Uint8Array;
	/** Yjs client ids and the member each is bound to. */
	clients: [number, string][];
	/** What chat_message holds for this room (lobby unread counts, last activity). */
	index: { key: string; authorId: string; createdAt: number }[];
	latest: { key: string; text: string; authorId: string };
	stats: { messages: number; deleted: number; edited: number; replies: number; reactions: number; clients: number; text_chars: number };
};

const DAY_MS = 24 * 60 * 60 * 1000;
const SESSION_GAP_MS = 3 * 60 * 60 * 1000;
const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢'];
const WORDS = (
	'the a to and of in is it you that for on we this with be are have not at was do but just so can ' +
	'if about what will get all like think know one yes no ok okay sure thanks maybe later today tomorrow ' +
	'tonight meeting call release build test deploy server client bug fix patch review merge branch issue ' +
	'lunch coffee weekend train late early morning afternoon week month plan idea draft doc notes slides ' +
	'looks good great nice agree really works broken again still now soon done ready waiting send sent ' +
	'could would should please check again anyone here there something nothing everything because though'
).split(' ');
const LINKS = ['https://example.org/notes', 'https://parley.example/docs/sync', 'https://git.example.com/parley/pull/42', 'https://maps.example.net/?q=station'];


/** One month of a room split by month (period.ts): its document and what the server keeps beside it. */
export type HistoryMonth = {
	period: Period;
	update: Uint8Array;
	clients: [number, string][];
	index: IndexedMessage[];
	/** The newest message of the month. */
	latest: { key: string; text: string; authorId: string };
	messages: number;
};

/** The whole room in one document, as Parley kept every room before history was split by month. */
export function buildHistoryRoom(options: HistoryRoomOptions): HistoryRoom {
	let room: HistoryRoom | undefined;
	const stats = generate(options, false, (month) => {
		room = { update: month.update, clients: month.clients, index: month.index.map(({ key, authorId, createdAt }) => ({ key, authorId, createdAt })), latest: month.latest, stats: undefined! };
	});
	room!.stats = stats;
	return room!;
}

/**
 * The room as Parley keeps it now, one document per month: each month is handed to `each` as soon
 * as it is built (and then dropped), so that a room of a million messages never has to be in memory.
 * The same seed writes the same messages as `buildHistoryRoom`.
 */
export function buildHistoryMonths(options: HistoryRoomOptions, each: (month: HistoryMonth) => void): HistoryRoom['stats'] {
	return generate(options, true, each);
}

function generate(options: HistoryRoomOptions, byMonth: boolean, each: (month: HistoryMonth) => void): HistoryRoom['stats'] {
	const { count, authors, spanDays, seed, end } = options;
	const rand = mulberry32(seed);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
	// Uneven shares: weights 1, 1/1.5, 1/2.25, …
	const weights = authors.map((_, i) => 1 / 1.5 ** i);
	const total = weights.reduce((a, b) => a + b, 0);
	const pickAuthor = () => {
		let r = rand() * total;
		for (let i = 0; i < authors.length; i++) if ((r -= weights[i]) < 0) return authors[i];
		return authors[authors.length - 1];
	};
	const text = (unique = '') => {
		// Mostly short messages: 20 + 180·r² characters.
		const length = 20 + Math.floor(180 * rand() ** 2);
		const words: string[] = [];
		let size = 0;
		if (rand() < 0.03) words.push(pick(LINKS));
		while (size < length) {
			const word = pick(WORDS);
			words.push(word);
			size += word.length + 1;
		}
		let s = words.join(' ');
		s = s[0].toUpperCase() + s.slice(1);
		if (unique) s = `${s.slice(0, Math.max(0, 200 - unique.length - 1))} ${unique}`;
		return s.slice(0, 200).trim() + (rand() < 0.3 ? '?' : '');
	};

	const deleteEvery = 200; // 0.5 %
	const written = count + Math.floor(count / (deleteEvery - 1));
	// Times: uniform over the span, nights (00–07 h) thinned out; sorted, newest = end.
	const start = end - spanDays * DAY_MS;
	const times = new Float64Array(written);
	for (let filled = 0; filled < written - 1; ) {
		const t = start + Math.floor(rand() * (end - start));
		const hour = new Date(t).getUTCHours();
		if (hour < 7 && rand() < 0.8) continue;
		times[filled++] = t;
	}
	times[written - 1] = end;
	times.sort();
	if (options.fullCurrentMonth) {
		const from = end - 30 * DAY_MS;
		const monthStart = periodStart(periodOf(end));
		for (let i = 0; i < written; i++) if (times[i] > from) times[i] = Math.floor(monthStart + ((times[i] - from) / (end - from)) * (end - monthStart));
	}

	const session = new Map<string, { client: number; last: number }>();
	const usedClients = new Set<number>();
	const stats = { messages: 0, deleted: 0, edited: 0, replies: 0, reactions: 0, clients: 0, text_chars: 0 };
	const newClient = (authorId: string, at: number) => {
		let client: number;
		do client = Math.floor(rand() * 0xffffffff) >>> 0;
		while (usedClients.has(client) || client === 0);
		usedClients.add(client);
		stats.clients++;
		session.set(authorId, { client, last: at });
		return client;
	};
	const clientFor = (authorId: string, at: number) => {
		const current = session.get(authorId);
		if (current && at - current.last < SESSION_GAP_MS) {
			current.last = at;
			return current.client;
		}
		return newClient(authorId, at);
	};

	// The document being written (the room's, or its month's) and what goes with it.
	let doc = new Y.Doc({ gc: true });
	let period = byMonth ? periodOf(times[0]) : '';
	let clients = new Map<number, string>();
	let index = new Map<string, IndexedMessage>();
	let latest = { key: '', text: '', authorId: '' };
	// Writes are queued per client id and applied one transaction per client, in the order the
	// clients first wrote: a transaction per write costs O(clients) each (Yjs snapshots the state
	// vector), which made building 100,000 messages take 20 s. Only an author edits or deletes their
	// own message, from the same or a later session, so every write still follows what it changes.
	// An edit, deletion or reaction goes to the document of its message, as in the app.
	const queued = new Map<number, (() => void)[]>();
	const write = (client: number, authorId: string, f: () => void) => {
		const list = queued.get(client) ?? [];
		list.push(f);
		queued.set(client, list);
		clients.set(client, authorId);
	};
	const finish = () => {
		for (const [client, writes] of queued) {
			doc.clientID = client;
			doc.transact(() => {
				for (const f of writes) f();
			});
		}
		queued.clear();
		const messages = doc.getMap(MESSAGES).size;
		stats.messages += messages;
		each({ period, update: Y.encodeStateAsUpdate(doc), clients: [...clients], index: [...index.values()], latest, messages });
		doc.destroy();
	};

	const recent: string[] = [];
	const reacted = new Set<string>();
	for (let i = 0; i < written; i++) {
		const isLast = i === written - 1;
		const at = times[i];
		if (byMonth && periodOf(at) !== period) {
			finish();
			doc = new Y.Doc({ gc: true });
			period = periodOf(at);
			clients = new Map();
			index = new Map();
		}
		const messages = doc.getMap<MessageValue>(MESSAGES);
		const reactions = doc.getMap<ReactionValue>(REACTIONS);
		// The newest message is someone else's, so it never shows as "sending" to the benchmark user (authors[0]).
		const authorId = isLast ? authors[1] : pickAuthor();
		const key = `${authorId}:${ulid(at, rand)}`;
		const value: MessageValue = { text: isLast ? text(`(latest message #${count})`) : text(), createdAt: at };
		if (!isLast && recent.length && rand() < 0.03) {
			value.replyTo = pick(recent);
			stats.replies++;
		}
		write(clientFor(authorId, at), authorId, () => messages.set(key, value));
		index.set(key, { key, authorId, createdAt: at, text: value.text, mentions: [] });
		stats.text_chars += value.text.length;
		if (i % deleteEvery === deleteEvery - 1 && !isLast) {
			write(clientFor(authorId, at + 60_000), authorId, () => messages.delete(key));
			index.delete(key);
			stats.deleted++;
			stats.text_chars -= value.text.length;
			continue;
		}
		latest = { key, text: value.text, authorId };
		if (!isLast && rand() < 0.02) {
			const editedAt = at + 1000 + Math.floor(rand() * 10 * 60_000);
			const edited = { ...value, text: `${value.text.slice(0, 180)} (fixed)`, editedAt };
			write(clientFor(authorId, editedAt), authorId, () => messages.set(key, edited));
			index.set(key, { key, authorId, createdAt: at, text: edited.text, mentions: [] });
			latest.text = edited.text;
			stats.edited++;
			stats.text_chars += edited.text.length - value.text.length;
		}
		if (!isLast && rand() < 0.05) {
			const n = 1 + Math.floor(rand() * 3);
			for (let r = 0; r < n; r++) {
				const who = pick(authors.filter((a) => a !== authorId));
				const reactedAt = at + 1000 + Math.floor(rand() * 3_600_000);
				const reaction = `${key}|${who}|${pick(EMOJI)}`;
				if (reacted.has(reaction)) continue;
				reacted.add(reaction);
				write(clientFor(who, reactedAt), who, () => reactions.set(reaction, { at: reactedAt }));
				stats.reactions++;
			}
		}
		recent.push(key);
		if (recent.length > 50) recent.shift();
	}
	finish();
	if (stats.messages !== count) throw new Error(`built ${stats.messages} messages, expected ${count}`);
	return stats;
}

/**
 * Writes the room's document as its snapshot, binds its client ids, and fills the message index:
 * a room as a Parley from before monthly history kept it, in one document (the next start splits it
 * by month, sync/history-split.ts).
 */
export function storeHistoryRoom(db: DatabaseSync, roomId: string, room: HistoryRoom): void {
	new SyncStore(db).compact(roomId, 1, room.update);
	db.exec('begin');
	try {
		const bind = db.prepare('insert into sync_client (roomId, client, userId) values (?, ?, ?)');
		for (const [client, userId] of room.clients) bind.run(roomId, client, userId);
		const add = db.prepare('insert into chat_message (roomId, key, authorId, createdAt) values (?, ?, ?, ?)');
		for (const m of room.index) add.run(roomId, m.key, m.authorId, m.createdAt);
		const latest = room.index.reduce((max, m) => Math.max(max, m.createdAt), 0);
		const first = room.index.reduce((min, m) => Math.min(min, m.createdAt), latest);
		// The room and its members predate its history.
		db.prepare("update room set lastActivityAt = ?, createdAt = ?, history = 'single' where id = ?").run(latest, first - DAY_MS, roomId);
		db.prepare('update room_member set joinedAt = ? where roomId = ?').run(first - DAY_MS, roomId);
		db.exec('commit');
	} catch (error) {
		db.exec('rollback');
		throw error;
	}
}

/**
 * Writes one month of a room split by month as the server keeps it: the month's document as its
 * snapshot, its client ids bound, and its messages in the message and search indexes (so the
 * server's first load finds nothing to catch up on). One transaction per month.
 */
export function storeHistoryMonth(db: DatabaseSync, roomId: string, month: HistoryMonth): void {
	const store = new SyncStore(db);
	const name = documentName(roomId, month.period);
	transaction(db, () => {
		store.compact(name, 1, month.update);
		const bind = db.prepare('insert into sync_client (roomId, period, client, userId) values (?, ?, ?, ?)');
		for (const [client, userId] of month.clients) bind.run(roomId, month.period, client, userId);
		store.rebuildIndex(name, month.index);
		store.rebuildSearchIndex(name, month.index);
	});
}

/** After its months are stored: the room (and its members) predate its history, and it last spoke at its newest message. */
export function finishHistoryMonths(db: DatabaseSync, roomId: string, first: number, latest: number): void {
	transaction(db, () => {
		db.prepare("update room set lastActivityAt = ?, createdAt = ?, history = 'monthly' where id = ?").run(latest, first - DAY_MS, roomId);
		db.prepare('update room_member set joinedAt = ? where roomId = ?').run(first - DAY_MS, roomId);
	});
}
