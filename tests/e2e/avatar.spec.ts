import { expect, test, type Locator, type Page } from '@playwright/test';
import sharp from 'sharp';
import { messageLog, sendMessage, twoInARoom } from './support/ui.ts';

// A person's picture: set on the account page (scaled on the device, re-encoded by the server), seen by
// the people who share a room with them beside their messages and in the room list, kept for offline.
const serviceWorkerReady = (page: Page) => page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
/** The width the picture decoded to, once it has (0 while it has not, or cannot). */
const decodedWidth = (image: Locator) => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));

/** "Alice 3f2a…": A, or AF when her random suffix starts with a letter. */
const INITIALS = /^A[A-F]?$/;

async function choosePicture(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
	const chooser = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: /^(Upload a|Change) picture$/ }).click();
	await (await chooser).setFiles([file]);
}

test('a picture set on the account page shows beside the person’s messages for others, live and offline; removed, their initials come back', async ({ browser }) => {
	test.slow();
	const { a, b, pageA, pageB, close } = await twoInARoom(browser, 'Portraits');
	await serviceWorkerReady(pageB);
	const roomPath = new URL(pageB.url()).pathname;
	await sendMessage(pageA, 'Hello with a face');
	const hello = messageLog(pageB).getByRole('article').filter({ hasText: 'Hello with a face' });
	await expect(hello).toBeVisible();
	await expect(hello.locator('.avatar')).toHaveText(INITIALS);

	// Something that is not a picture is refused on the device, with a reason.
	const pageA2 = await a.newPage();
	await pageA2.goto('/account');
	await expect(pageA2.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
	await choosePicture(pageA2, { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are not pixels at all') });
	await expect(pageA2.getByRole('alert')).toHaveText('This browser cannot open that picture; try a PNG or JPEG.');

	// A landscape photo: kept as the server's 256 px square.
	const photo = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#2266aa' } }).jpeg().toBuffer();
	await choosePicture(pageA2, { name: 'me.jpg', mimeType: 'image/jpeg', buffer: photo });
	await expect(pageA2.getByRole('status').filter({ hasText: 'Your picture is saved' })).toBeVisible();
	const mine = pageA2.getByRole('img', { name: 'Your picture' }).locator('img');
	await expect.poll(() => decodedWidth(mine)).toBe(256);
	await expect(pageA2.getByRole('button', { name: 'Remove picture' })).toBeVisible();

	// Bob sees it beside Alice's message without reloading, as the server decoded it.
	const face = hello.locator('.avatar img');
	await expect.poll(() => decodedWidth(face), { timeout: 15_000 }).toBe(256);
	expect(await face.getAttribute('src')).toMatch(new RegExp(`^/api/users/${(await pageA2.evaluate(async () => ((await (await fetch('/api/auth/get-session')).json()) as { user: { id: string } }).user.id))}/avatar\\?v=\\d+$`));

	// Offline, the room opens with her picture still there (the device kept it, with the page as last loaded).
	await pageB.reload();
	await expect.poll(() => decodedWidth(messageLog(pageB).getByRole('article').filter({ hasText: 'Hello with a face' }).locator('.avatar img')), { timeout: 15_000 }).toBe(256);
	await expect.poll(() => pageB.evaluate(async () => (await (await caches.open('parley-pages')).keys()).map((r) => new URL(r.url).pathname))).toContain(roomPath);
	await b.setOffline(true);
	await pageB.reload();
	await expect.poll(() => decodedWidth(messageLog(pageB).getByRole('article').filter({ hasText: 'Hello with a face' }).locator('.avatar img')), { timeout: 15_000 }).toBe(256);
	await b.setOffline(false);

	// Removed: initials again, for her and for Bob.
	await pageA2.getByRole('button', { name: 'Remove picture' }).click();
	await expect(pageA2.getByRole('status').filter({ hasText: 'Your picture is removed' })).toBeVisible();
	await expect(pageA2.getByRole('img', { name: 'Your picture' })).toHaveText(INITIALS);
	await pageB.reload();
	await expect(messageLog(pageB).getByRole('article').filter({ hasText: 'Hello with a face' }).locator('.avatar')).toHaveText(INITIALS);
	await close();
});

test('a room’s picture, set by its owner in its settings, shows in its members’ room list and room header; a member is not offered it', async ({ browser }) => {
	const { pageA, pageB, close } = await twoInARoom(browser, 'Gallery');
	const roomPath = new URL(pageA.url()).pathname;
	await pageB.goto(`${roomPath}/settings`);
	await expect(pageB.getByRole('heading', { name: 'Notifications' })).toBeVisible();
	await expect(pageB.getByRole('heading', { name: 'Room picture' })).toHaveCount(0);
	await pageB.goto(roomPath);

	await pageA.goto(`${roomPath}/settings`);
	const painting = await sharp({ create: { width: 900, height: 1200, channels: 3, background: '#aa5522' } }).png().toBuffer();
	await choosePicture(pageA, { name: 'painting.png', mimeType: 'image/png', buffer: painting });
	await expect(pageA.getByRole('status').filter({ hasText: "The room's picture is saved" })).toBeVisible();
	await expect.poll(() => decodedWidth(pageA.getByRole('img', { name: "The room's picture" }).locator('img'))).toBe(256);

	// Bob, in the room, sees it without reloading: beside its name in the list, and in the room's bar.
	const listed = pageB.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: /^Gallery/ }).locator('.avatar img');
	await expect.poll(() => decodedWidth(listed), { timeout: 15_000 }).toBe(256);
	await expect.poll(() => decodedWidth(pageB.locator('.room-bar .avatar img')), { timeout: 15_000 }).toBe(256);
	await close();
});
