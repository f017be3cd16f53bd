import { expect, test, type Locator, type Page } from '@playwright/test';
import sharp from 'sharp';
import { call, signUpPerson } from './support/api-client.ts';
import { acceptInvitation, messageLog, sendMessage, signUpInBrowser, twoInARoom } from './support/ui.ts';

// The service worker's cache of files a person has opened: offline copies, ranges for media, a
// refusal online drops the copy, and Settings shows and clears what is kept.
const serviceWorkerReady = (page: Page) => page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
const cachedPaths = (page: Page) => page.evaluate(async () => (await (await caches.open('parley-files')).keys()).map((r) => new URL(r.url).pathname).sort());
/** Loads an image in the page as an <img> would show it: its natural width, or 0 when it cannot be shown. */
const imageWidth = (page: Page, src: string) =>
	page.evaluate(
		(url) =>
			new Promise<number>((resolve) => {
				const img = new Image();
				img.onload = () => resolve(img.naturalWidth);
				img.onerror = () => resolve(0);
				img.src = url;
			}),
		src
	);

test('a file seen once opens offline, ranges come from the kept copy, a refusal drops it, Settings clears the rest', async ({ page, context, baseURL }) => {
	const owner = await signUpPerson(baseURL!, 'Photo owner');
	await signUpInBrowser(page, 'Photo viewer');
	await serviceWorkerReady(page);
	const viewerId = await page.evaluate(async () => ((await (await fetch('/api/auth/get-session')).json()) as { user: { id: string } }).user.id);
	const room = await call<{ id: string }>(baseURL!, owner, 'POST', '/api/rooms', { name: 'Holiday', memberIds: [viewerId] });
	expect(room.status).toBe(201);
	await acceptInvitation(page, room.body.id);
	const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#cc6633' } }).jpeg().toBuffer();
	const uploaded = await fetch(`${baseURL}/api/rooms/${room.body.id}/files?name=beach.jpg`, { method: 'POST', headers: { origin: baseURL!, cookie: owner.cookie }, body: new Uint8Array(photo) });
	expect(uploaded.status).toBe(201);
	const { id } = (await uploaded.json()) as { id: string };
	const full = `/api/files/${id}`;
	const thumb = `/api/files/${id}/thumbnail`;

	expect(await cachedPaths(page)).toEqual([]);
	expect(await imageWidth(page, full)).toBe(800);
	expect(await imageWidth(page, thumb)).toBeGreaterThan(0);
	await expect.poll(() => cachedPaths(page)).toEqual([full, thumb].sort());

	// Media asks for ranges: cut from the kept whole file (online after a 304, and offline).
	const served = await fetch(`${baseURL}${full}`, { headers: { cookie: owner.cookie } });
	const bytes = [...new Uint8Array(await served.arrayBuffer())];
	const range = (from: number, to: number) =>
		page.evaluate(
			async ([url, header]) => {
				const res = await fetch(url, { headers: { range: header } });
				return { status: res.status, contentRange: res.headers.get('content-range'), bytes: [...new Uint8Array(await res.arrayBuffer())] };
			},
			[full, `bytes=${from}-${to}`] as const
		);
	expect(await range(100, 109)).toEqual({ status: 206, contentRange: `bytes 100-109/${bytes.length}`, bytes: bytes.slice(100, 110) });

	await page.goto('/settings');
	await expect(page.getByText('Files you have opened are kept on this device, up to 200 MB')).toBeVisible();
	await expect(page.getByText(/^In use: [1-9][\d.]* kB$/)).toBeVisible();

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
	expect(await imageWidth(page, full)).toBe(800);
	expect(await range(0, 3)).toEqual({ status: 206, contentRange: `bytes 0-3/${bytes.length}`, bytes: bytes.slice(0, 4) });
	await context.setOffline(false);

	// Removed from the room: the server refuses the file, and the device forgets it.
	expect((await call(baseURL!, owner, 'DELETE', `/api/rooms/${room.body.id}/members/${viewerId}`)).status).toBe(204);
	expect(await page.evaluate((url) => fetch(url).then((r) => r.status), full)).toBe(404);
	await expect.poll(() => cachedPaths(page)).toEqual([thumb]);
	await context.setOffline(true);
	expect(await imageWidth(page, full)).toBe(0);
	await context.setOffline(false);

	await page.reload();
	await page.getByRole('button', { name: 'Clear' }).click();
	await expect(page.getByText('Files on this device cleared.')).toBeVisible();
	await expect(page.getByText('In use: 0 byte')).toBeVisible();
	expect(await cachedPaths(page)).toEqual([]);
});

async function expectDecoded(image: Locator) {
	await expect(image).toBeVisible();
	await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
}

test('an image seen once in a room shows offline after a reload, in the timeline and full size in the viewer', async ({ browser }) => {
	test.slow();
	const { b, pageA, pageB, close } = await twoInARoom(browser, 'Postcards');
	await serviceWorkerReady(pageB);
	const roomPath = new URL(pageB.url()).pathname;
	await expect.poll(() => pageB.evaluate(async () => (await (await caches.open('parley-pages')).keys()).map((r) => new URL(r.url).pathname))).toContain(roomPath);
	const chooser = pageA.waitForEvent('filechooser');
	await pageA.getByRole('button', { name: 'Attach file' }).click();
	const photo = await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#228844' } }).png().toBuffer();
	await (await chooser).setFiles([{ name: 'forest.png', mimeType: 'image/png', buffer: photo }]);
	await sendMessage(pageA, 'From the hike');

	const postcard = () => messageLog(pageB).getByRole('article').filter({ hasText: 'From the hike' });
	await expectDecoded(postcard().getByRole('img', { name: 'forest.png' }));
	await postcard().getByRole('button', { name: 'Open forest.png' }).click();
	await expectDecoded(pageB.getByRole('dialog', { name: 'forest.png' }).getByRole('img', { name: 'forest.png' }));
	await pageB.keyboard.press('Escape');
	await expect.poll(() => cachedPaths(pageB)).toHaveLength(2);

	await b.setOffline(true);
	await pageB.reload();
	await expectDecoded(postcard().getByRole('img', { name: 'forest.png' }));
	await postcard().getByRole('button', { name: 'Open forest.png' }).click();
	const full = pageB.getByRole('dialog', { name: 'forest.png' }).getByRole('img', { name: 'forest.png' });
	await expectDecoded(full);
	expect(await full.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1000);
	await close();
});
