import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test, type Page } from '@playwright/test';
import { createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { startServer } from './support/server.ts';
import { messageLog, roomAs, sendMessage } from './support/ui.ts';

// A room from before history was split by month, open on a device that wrote in it offline; then
// Parley is upgraded (the next start splits the room) and the device comes back online.

const localDatabases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name));

test('writes made offline in a room kept in one document reach everyone after the upgrade splits it by month', async ({ browser }) => {
	test.setTimeout(120_000);
	const before = await startServer();
	const ann = await signUpPerson(before.url, 'Ann');
	const ben = await signUpPerson(before.url, 'Ben');
	const room = await createRoomWithMembers(before.url, ann, 'Since last year', [ben]);
	// As a Parley from before monthly history created it.
	const db = new DatabaseSync(join(before.dataDir, 'parley.sqlite'));
	db.prepare("update room set history = 'single' where id = ?").run(room.id);
	db.close();

	const page = await roomAs(browser, before.url, ann, room.id);
	await sendMessage(page, 'written before the upgrade');
	await expect(messageLog(page).getByText('written before the upgrade')).toBeVisible();
	await expect(messageLog(page).getByText('Sending…')).toHaveCount(0);
	expect(await localDatabases(page)).toContain(`parley-room-${room.id}`);

	// Offline: the message waits on the device.
	await page.context().setOffline(true);
	await sendMessage(page, 'written offline');
	await expect(messageLog(page).getByText('written offline')).toBeVisible();

	// The upgrade: the same address, the next start splits the room.
	const port = new URL(before.url).port;
	await before.stop();
	const after = await startServer({ DATA_DIR: before.dataDir, PORT: port });
	try {
		expect(after.output()).toContain('"sync.history_split"');

		await page.context().setOffline(false);
		await page.reload();
		await expect(page.getByRole('textbox', { name: 'Message' })).toBeEnabled();
		await expect(messageLog(page).getByText('written before the upgrade')).toBeVisible();
		await expect(messageLog(page).getByText('written offline')).toBeVisible();
		await expect(messageLog(page).getByText('Sending…')).toHaveCount(0, { timeout: 20_000 });
		// The old copy is gone from the device once what it held is sent.
		await expect.poll(() => localDatabases(page), { timeout: 20_000 }).not.toContain(`parley-room-${room.id}`);

		// Ben, on another device, sees both: one moved by the server, one sent by Ann's device.
		const other = await roomAs(browser, after.url, ben, room.id);
		await expect(messageLog(other).getByText('written before the upgrade')).toBeVisible();
		await expect(messageLog(other).getByText('written offline')).toBeVisible();
		await expect(messageLog(other).getByText('written offline')).toHaveCount(1);
		await other.context().close();
		await page.context().close();
	} finally {
		await after.stop();
	}
});
