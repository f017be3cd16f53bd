import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { createRoomWithMembers, signUpPerson, type Person } from './support/api-client.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { messageLog, sendMessage, signedInContext } from './support/ui.ts';

// A device writes to a room with the Yjs client ids it used before, so state vectors stay small;
// presence goes by the same id, so a reloaded page's presence must still reach everyone.
let server: RunningServer;
test.beforeAll(async () => {
	server = await startServer();
});
test.afterAll(async () => {
	await server.stop();
});

/** The Yjs client ids the server has bound to a person in a room: one per id they ever wrote with. */
function clientIds(roomId: string, userId: string): number {
	const db = new DatabaseSync(join(server.dataDir, 'parley.sqlite'), { readOnly: true });
	try {
		return (db.prepare('select count(*) as n from sync_client where roomId = ? and userId = ?').get(roomId, userId) as { n: number }).n;
	} finally {
		db.close();
	}
}

/** The page's presence reaches the other person: they see it typing (sending a message stops that). */
async function seenTyping(page: Page, watcher: Page, person: Person) {
	await page.getByRole('textbox', { name: 'Message' }).pressSequentially('hm');
	await expect(watcher.getByText(`${person.name} is typing…`)).toBeVisible();
	await page.getByRole('textbox', { name: 'Message' }).clear();
}

async function openRoom(context: BrowserContext, roomId: string): Promise<Page> {
	const page = await context.newPage();
	await page.goto(`${server.url}/rooms/${roomId}`);
	await expect(page.getByRole('textbox', { name: 'Message' })).toBeEnabled();
	return page;
}

async function write(page: Page, text: string, roomId: string, person: Person, expected: number) {
	await sendMessage(page, text);
	await expect(messageLog(page).getByText(text)).toBeVisible();
	await expect(messageLog(page).getByText('Sending…')).toHaveCount(0);
	await expect.poll(() => clientIds(roomId, person.id), { message: 'client ids bound to the person' }).toBe(expected);
}

test('reloads reuse one client id, and their presence still reaches others; two tabs open at once write with two', async ({ browser }) => {
	const person = await signUpPerson(server.url, 'Reloader');
	const other = await signUpPerson(server.url, 'Watcher');
	const room = await createRoomWithMembers(server.url, person, 'Diary', [other]);
	const context = await signedInContext(browser, server.url, person);
	const watcherContext = await signedInContext(browser, server.url, other);
	const watcher = await openRoom(watcherContext, room.id);

	const page = await openRoom(context, room.id);
	await write(page, 'first visit', room.id, person, 1);
	for (const visit of ['second visit', 'third visit']) {
		await page.reload();
		await expect(page.getByRole('textbox', { name: 'Message' })).toBeEnabled();
		await expect(messageLog(page).getByText('first visit')).toBeVisible();
		// Under the id the last page had: the server and the watcher take it as newer than that page's presence.
		await seenTyping(page, watcher, person);
		await write(page, visit, room.id, person, 1);
	}

	// A second tab at the same time must not write with the id the first one holds.
	const second = await openRoom(context, room.id);
	await write(second, 'from the second tab', room.id, person, 2);
	await write(page, 'first tab again', room.id, person, 2);
	// Both reload: they take the two ids back, whichever each gets.
	await page.reload();
	await second.reload();
	await expect(messageLog(second).getByText('first tab again')).toBeVisible();
	await seenTyping(second, watcher, person);
	await write(second, 'after both reloaded', room.id, person, 2);
	await expect(messageLog(page).getByText('after both reloaded')).toBeVisible();
	await write(page, 'and the first tab', room.id, person, 2);
	await second.close();

	// The device's copy does not end where it last wrote with an id (as when its last writes were lost):
	// that id is not written with again, a new one is.
	// (Each of the room's documents has its pool: its main one, for presence, and this month's, for messages.)
	await page.evaluate((prefix) => {
		for (const key of Object.keys(localStorage).filter((k) => k.startsWith(prefix))) {
			const pool = JSON.parse(localStorage.getItem(key)!) as { id: number; clock: number }[];
			localStorage.setItem(key, JSON.stringify(pool.map((claim) => ({ ...claim, clock: claim.clock + 1 }))));
		}
	}, `parley:clients:${room.id}`);
	await page.reload();
	await expect(messageLog(page).getByText('and the first tab')).toBeVisible();
	await write(page, 'after lost writes', room.id, person, 3);
	await seenTyping(page, watcher, person);
	await context.close();
	await watcherContext.close();
});
