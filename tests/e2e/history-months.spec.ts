import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { ulid } from 'ulid';
import * as Y from 'yjs';
import { documentName, periodOf, periodStart } from '../../src/lib/core/chat/period.ts';
import { MESSAGES, type MessageValue } from '../../src/lib/core/chat/schema.ts';
import { connect, waitFor } from '../../sync/test-harness.ts';
import { call, createRoomWithMembers, signUpPerson, type Person } from './support/api-client.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { messageAction, messageLog, roomAs } from './support/ui.ts';

// A room with months of history, opened on a device that never had it: the newest month comes
// first, the older months as the person scrolls back, down to the very first message; an old
// message edited offline goes to its own month once the device is back online.

const DAY = 86_400_000;
let server: RunningServer;
test.beforeAll(async () => {
	server = await startServer();
});
test.afterAll(async () => {
	await server.stop();
});

const asUser = (p: Person) => ({ id: p.id, name: p.name, cookie: p.cookie });

/** Writes messages dated in the past straight over /sync, each to the document of its month, as the people's devices did then. */
async function writeHistory(roomId: string, entries: { person: Person; text: string; time: number }[]) {
	const wsUrl = server.url.replace('http', 'ws') + '/sync';
	const byDocument = new Map<string, typeof entries>();
	for (const entry of entries) {
		const name = `${documentName(roomId, periodOf(entry.time))}|${entry.person.id}`;
		byDocument.set(name, [...(byDocument.get(name) ?? []), entry]);
	}
	for (const [name, list] of byDocument) {
		const peer = connect(wsUrl, name.split('|')[0], asUser(list[0].person));
		await waitFor(() => peer.provider.synced, 10_000, 'sync');
		peer.doc.transact(() => {
			for (const { person, text, time } of list) peer.doc.getMap(MESSAGES).set(`${person.id}:${ulid(time)}`, { text, createdAt: time });
		});
		await new Promise((r) => setTimeout(r, 300));
		peer.provider.destroy();
	}
	const db = new DatabaseSync(join(server.dataDir, 'parley.sqlite'), { readOnly: true });
	try {
		await waitFor(() => (db.prepare('select count(*) as n from chat_message where roomId = ?').get(roomId) as { n: number }).n === entries.length, 10_000, 'history stored');
	} finally {
		db.close();
	}
}

test('a room whose older months were never on this device scrolls back to its first message; an old message edited offline reaches its month', async ({ browser }) => {
	test.setTimeout(120_000);
	const ann = await signUpPerson(server.url, 'Ann');
	const ben = await signUpPerson(server.url, 'Ben');
	const room = await createRoomWithMembers(server.url, ann, 'Four months', [ben]);
	const now = Date.now();
	const db = new DatabaseSync(join(server.dataDir, 'parley.sqlite'));
	db.prepare('update room set createdAt = ? where id = ?').run(now - 130 * DAY, room.id);
	db.prepare('update room_member set joinedAt = ? where roomId = ?').run(now - 130 * DAY, room.id);
	db.close();
	// This month is busy (more than a screen); the months before have a few messages each.
	const monthStart = Math.max(periodStart(periodOf(now)), now - DAY);
	const busy = Array.from({ length: 80 }, (_, i) => ({ person: ben, text: `this month ${i}`, time: Math.min(now - 1000, monthStart + i * 500) }));
	const oldTime = now - 95 * DAY;
	await writeHistory(room.id, [
		{ person: ann, text: 'the very first message', time: now - 120 * DAY },
		{ person: ann, text: 'three months ago, by Ann', time: oldTime },
		{ person: ben, text: 'two months ago', time: now - 62 * DAY },
		{ person: ben, text: 'last month', time: now - 33 * DAY },
		...busy
	]);

	// Ann has read all of it on another device: the room opens at the newest message.
	expect((await call(server.url, ann, 'POST', `/api/rooms/${room.id}/read`)).status).toBeLessThan(300);
	const page = await roomAs(browser, server.url, ann, room.id);
	const log = messageLog(page);
	await expect(log.getByText('this month 79')).toBeVisible();
	// Only this month is on the device: nothing older is shown before scrolling back.
	await expect(log.getByText('last month', { exact: true })).toHaveCount(0);

	// Scrolling back opens the months before, one by one, down to the first message.
	await log.hover();
	await expect
		.poll(
			async () => {
				await page.mouse.wheel(0, -4000);
				return log.getByText('the very first message').count();
			},
			{ timeout: 40_000, message: 'the first message, by scrolling back' }
		)
		.toBe(1);
	await expect(log.getByText('three months ago, by Ann')).toBeVisible();

	// Offline, Ann edits her message from three months ago; back online it reaches its month's document.
	await page.context().setOffline(true);
	const old = log.getByRole('article').filter({ hasText: 'three months ago, by Ann' });
	await messageAction(old, 'Edit');
	await page.getByRole('textbox', { name: 'Message' }).fill('three months ago, edited offline');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(log.getByRole('article').filter({ hasText: 'three months ago, edited offline' })).toContainText('(edited)');
	await page.context().setOffline(false);

	const month = connect(server.url.replace('http', 'ws') + '/sync', documentName(room.id, periodOf(oldTime)), asUser(ben), new Y.Doc());
	await waitFor(() => [...month.doc.getMap<MessageValue>(MESSAGES).values()].some((m) => m.text === 'three months ago, edited offline'), 20_000, 'the edit in its month');
	// And nowhere else: this month's document never had it.
	const live = connect(server.url.replace('http', 'ws') + '/sync', documentName(room.id, periodOf(Date.now())), asUser(ben), new Y.Doc());
	await waitFor(() => live.provider.synced, 10_000, 'this month');
	expect([...live.doc.getMap<MessageValue>(MESSAGES).values()].filter((m) => m.text.startsWith('three months ago'))).toEqual([]);
	month.provider.destroy();
	live.provider.destroy();
	await page.context().close();
});
