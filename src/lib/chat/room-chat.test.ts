import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH, MESSAGES, REACTIONS } from '../core/chat/schema.ts';
import { RoomChat } from './room-chat.svelte.ts';
import type { RoomConnection } from './room-connection.ts';
import { RoomDocuments } from './room-documents.ts';
import { periodOf, type Period } from '../core/chat/period.ts';
import { ulid } from 'ulid';

/** A stand-in for one document's RoomConnection: a real Y.Doc and awareness, with no network (synced, unless `settled` says when). */
function fakeConnection(period: Period | '' = '', settled: Promise<void> = Promise.resolve()) {
	const doc = new Y.Doc();
	return {
		doc,
		period,
		provider: { awareness: new Awareness(doc) },
		status: 'synced',
		closedReason: '',
		lastRefusal: '',
		loaded: Promise.resolve(),
		whenSettled: () => settled,
		onChange: () => () => {},
		serverHas: () => false,
		destroy: () => doc.destroy()
	} as unknown as RoomConnection;
}

/** A RoomChat over a room in one document: what it writes is what it would send. */
function chatOf(userId: string) {
	const connection = fakeConnection();
	const doc = connection.doc;
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	const documents = new RoomDocuments(connection, { roomId: 'r', user: { id: userId, name: userId }, history: 'single', periods: [] });
	return { chat: new RoomChat(documents, userId), doc, updates };
}

describe('RoomChat writes only what the server accepts', () => {
	it('sends, edits and reacts under the shared rules', () => {
		const { chat, doc } = chatOf('ann');
		const key = chat.send('  hello  ')!;
		expect(doc.getMap(MESSAGES).get(key)).toMatchObject({ text: 'hello' });
		expect(chat.edit(key, 'hello again')).toBe(true);
		expect(doc.getMap(MESSAGES).get(key)).toMatchObject({ text: 'hello again', editedAt: expect.any(Number) });
		chat.toggleReaction(key, '👍');
		expect([...doc.getMap(REACTIONS).keys()]).toEqual([`${key}|ann|👍`]);
	});

	it('refuses before writing what the server would refuse', () => {
		const { chat, updates } = chatOf('ann');
		expect(chat.send('   ')).toBeNull();
		expect(chat.send('x'.repeat(MAX_TEXT_LENGTH + 1))).toBeNull();
		const key = chat.send('fine')!;
		const written = updates.length;
		expect(chat.edit(key, 'y'.repeat(MAX_TEXT_LENGTH + 1))).toBe(false);
		expect(chat.send('a reply to nothing', 'not a message key')).toBeNull();
		chat.toggleReaction(key, '🎉'.repeat(17));
		expect(updates.length).toBe(written);
	});

	it('does not edit another person’s message', () => {
		const { chat, doc, updates } = chatOf('ann');
		const bob = chatOf('bob');
		const key = bob.chat.send('from bob')!;
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(bob.doc));
		const written = updates.length;
		expect(chat.edit(key, 'ann was here')).toBe(false);
		expect(updates.length).toBe(written);
	});
});

describe('RoomChat in a room split by month', () => {
	const NOW = Date.UTC(2026, 11, 15, 12);
	const DAY = 86_400_000;

	function monthly(userId: string, serverPeriods: Period[], settled: Promise<void> = Promise.resolve(), readSince?: number) {
		const opened = new Map<Period, RoomConnection>();
		const main = fakeConnection();
		const documents = new RoomDocuments(main, {
			roomId: 'r',
			user: { id: userId, name: userId },
			history: 'monthly',
			periods: serverPeriods,
			readSince,
			now: () => NOW,
			connect: (period) => {
				const connection = fakeConnection(period, settled);
				opened.set(period, connection);
				return connection;
			}
		});
		return { chat: new RoomChat(documents, userId), documents, main, opened };
	}
	const keyAt = (userId: string, time: number) => `${userId}:${ulid(time)}`;
	const settle = () => new Promise((r) => setTimeout(r, 0));

	it('writes each message, edit and reaction to the document of its month, never the main one', async () => {
		const { chat, main, opened } = monthly('ann', []);
		await settle();
		expect([...opened.keys()]).toEqual(['2026-12']);
		const now = chat.send('this month')!;
		expect(opened.get('2026-12')!.doc.getMap(MESSAGES).get(now)).toMatchObject({ text: 'this month' });

		// A message written offline weeks ago, sent now: its month's document is opened for it.
		const old = keyAt('ann', NOW - 80 * DAY);
		expect(chat.write(old, 'from September')).toBe(true);
		const september = opened.get(periodOf(NOW - 80 * DAY))!;
		expect(september.doc.getMap(MESSAGES).get(old)).toMatchObject({ text: 'from September' });
		await settle();
		expect(chat.edit(old, 'from September, edited')).toBe(true);
		chat.toggleReaction(old, '👍');
		expect(september.doc.getMap(MESSAGES).get(old)).toMatchObject({ text: 'from September, edited' });
		expect([...september.doc.getMap(REACTIONS).keys()]).toEqual([`${old}|ann|👍`]);
		expect(main.doc.getMap(MESSAGES).size + main.doc.getMap(REACTIONS).size).toBe(0);
		expect(chat.messages.map((m) => m.text)).toEqual(['from September, edited', 'this month']);
		chat.delete(old);
		expect(september.doc.getMap(MESSAGES).size + september.doc.getMap(REACTIONS).size).toBe(0);
	});

	it('opens older months on scrolling back, newest first, skipping months with no document, until the first message', async () => {
		const { chat, opened } = monthly('ann', ['2026-12', '2026-10', '2026-07']);
		await settle();
		// The first screen is short (December is empty), so the months before are opened for it.
		expect(chat.hasOlder).toBe(false);
		expect([...opened.keys()]).toEqual(['2026-12', '2026-10', '2026-07']);
		const july = opened.get('2026-07')!;
		const first = keyAt('bob', Date.UTC(2026, 6, 3));
		july.doc.getMap(MESSAGES).set(first, { text: 'the first message', createdAt: Date.UTC(2026, 6, 3) });
		expect(chat.messages.map((m) => m.text)).toEqual(['the first message']);
		expect(await chat.loadOlder()).toBe(0);
	});

	it('on a device new to the room, counts this month once it is synced: a full month opens no older one', async () => {
		let synced!: () => void;
		const { chat, opened } = monthly('ann', ['2026-12', '2026-11', '2026-10'], new Promise<void>((resolve) => (synced = resolve)));
		await settle();
		// Read from the device, December is empty; it is not yet known to be short.
		expect([...opened.keys()]).toEqual(['2026-12']);
		const december = opened.get('2026-12')!;
		december.doc.transact(() => {
			for (let i = 0; i < 80; i++) {
				const key = keyAt('bob', NOW - DAY + i * 1000);
				december.doc.getMap(MESSAGES).set(key, { text: `message ${i}`, createdAt: NOW - DAY + i * 1000 });
			}
		});
		synced();
		await settle();
		expect([...opened.keys()]).toEqual(['2026-12']);
		expect(chat.hasOlder).toBe(true);
		// Scrolling back opens the older months (empty here) until there are none.
		expect(await chat.loadOlder()).toBe(0);
		expect([...opened.keys()]).toEqual(['2026-12', '2026-11', '2026-10']);
	});

	it('opens at once the months since the person last read (at most three), so their first unread message is there', async () => {
		let synced!: () => void;
		const readSince = Date.UTC(2026, 8, 20);
		const { chat, opened } = monthly('ann', ['2026-12', '2026-11', '2026-09', '2026-08', '2026-06'], new Promise<void>((resolve) => (synced = resolve)), readSince);
		await settle();
		// Not August (read) nor June.
		expect([...opened.keys()]).toEqual(['2026-12', '2026-11', '2026-09']);
		const september = opened.get('2026-09')!;
		const firstUnread = keyAt('bob', Date.UTC(2026, 8, 25));
		september.doc.getMap(MESSAGES).set(firstUnread, { text: 'while you were away', createdAt: Date.UTC(2026, 8, 25) });
		synced();
		await settle();
		expect(chat.messages.map((m) => m.text)).toEqual(['while you were away']);
		// Away half a year: the three months before this one.
		const { opened: later } = monthly('ann', ['2026-12', '2026-11', '2026-10', '2026-09', '2026-08'], Promise.resolve(), Date.UTC(2026, 5, 1));
		expect([...later.keys()]).toEqual(['2026-12', '2026-11', '2026-10', '2026-09']);
	});
});
