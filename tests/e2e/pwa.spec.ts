import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium.ts';
import { pushDelivery } from './support/push-delivery.ts';
import { startServer } from './support/server.ts';
import { createRoomWith, signUpInBrowser, twoPeople } from './support/ui.ts';

const serviceWorkerReady = (page: Page) => page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });

test('the app is installable (no installability errors)', async ({ baseURL }) => {
	// Chromium reports installability only for a persistent (non-incognito) profile.
	const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'parley-profile-')), {
		executablePath: CHROMIUM_PATH,
		args: CHROMIUM_ARGS,
		baseURL
	});
	const page = context.pages()[0] ?? (await context.newPage());
	await signUpInBrowser(page, 'Installer');
	await serviceWorkerReady(page);
	const manifest = await (await page.request.get('/manifest.webmanifest')).json();
	expect(manifest).toMatchObject({ name: 'Parley', short_name: 'Parley', id: '/', start_url: '/', scope: '/', display: 'standalone' });
	expect(manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`)).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
	const cdp = await context.newCDPSession(page);
	await expect
		.poll(async () => ((await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] }).installabilityErrors.map((e) => e.errorId), { timeout: 15_000 })
		.toEqual([]);
	await context.close();
});

test('offline: the lobby and a room reload with no network; an unseen page shows the offline page', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signUpInBrowser(page, 'Traveller');
	await serviceWorkerReady(page);
	await page.getByRole('button', { name: 'New room' }).click();
	await page.getByRole('textbox', { name: 'Room name' }).fill('Trip notes');
	await page.getByRole('button', { name: 'Create' }).click();
	const box = page.getByRole('textbox', { name: 'Message' });
	await box.fill('passport in the blue bag');
	await box.press('Enter');
	await expect(page.getByText('Sending…')).toHaveCount(0);
	const roomPath = new URL(page.url()).pathname;
	await page.getByRole('link', { name: 'Back to the lobby' }).click();
	await expect(page.getByRole('list', { name: 'Rooms' })).toContainText('Trip notes');
	await expect
		.poll(() => page.evaluate(async () => (await (await caches.open('parley-pages')).keys()).map((r) => new URL(r.url).pathname)))
		.toEqual(expect.arrayContaining(['/', roomPath]));
	// The lobby was kept when it was first seen, empty; it is kept again, with the room, on coming back to it.
	await expect.poll(() => page.evaluate(async () => (await (await (await caches.open('parley-pages')).match('/'))?.text()) ?? '')).toContain('Trip notes');

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('list', { name: 'Rooms' })).toContainText('Trip notes');
	await page.goto(roomPath);
	await expect(page.getByRole('log', { name: 'Messages' })).toContainText('passport in the blue bag');
	await expect(page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();

	// Something that needs the server says so instead of spinning.
	await page.goto('/');
	await page.getByRole('button', { name: 'New room' }).click();
	await page.getByRole('textbox', { name: 'Room name' }).fill('Not now');
	await page.getByRole('button', { name: 'Create' }).click();
	await expect(page.getByRole('alert')).toHaveText(/Cannot reach Parley/);

	await page.goto('/rooms/never-seen-before');
	await expect(page.getByRole('heading', { name: "You're offline" })).toBeVisible();
	await context.close();
});

test('a push rings with Join and Decline, and the closing push removes it', async ({ browser, baseURL }) => {
	const context = await browser.newContext();
	await context.grantPermissions(['notifications'], { origin: baseURL });
	const page = await context.newPage();
	await signUpInBrowser(page, 'Ringer');
	await serviceWorkerReady(page);

	const push = await pushDelivery(context, page, baseURL!);
	const notifications = () =>
		page.evaluate(async () =>
			(await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
				title: n.title,
				body: n.body,
				tag: n.tag,
				requireInteraction: n.requireInteraction,
				actions: (n as Notification & { actions?: { action: string; title: string }[] }).actions?.map((a) => a.title)
			}))
		);

	const ring = { type: 'ring', roomId: 'r1', roomName: 'Family', callerId: 'u1', callerName: 'Grandma', at: Date.now() };
	await push.deliver(ring);
	await expect
		.poll(notifications)
		.toEqual([{ title: 'Grandma is calling', body: 'Family', tag: 'call:r1', requireInteraction: true, actions: ['Join', 'Decline'] }]);

	await push.deliver({ type: 'ring-end', roomId: 'r1' });
	await expect.poll(notifications).toEqual([]);
	await context.close();
});

test('a new version makes the "Reload to update" toast appear, and reloading applies it', async ({ browser }) => {
	// Serve a copy of the build, then "deploy" a changed service worker into it.
	// Inside the project, so the copy resolves its dependencies from node_modules.
	const root = join(import.meta.dirname, '../..');
	mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
	const build = mkdtempSync(join(root, 'node_modules/.cache/parley-build-'));
	cpSync(join(root, 'build'), build, { recursive: true });
	const server = await startServer({ BUILD_DIR: build });
	const context = await browser.newContext({ baseURL: server.url });
	const page = await context.newPage();
	await signUpInBrowser(page, 'Updater');
	await serviceWorkerReady(page);
	await expect(page.getByRole('button', { name: 'Reload to update' })).toHaveCount(0);

	appendFileSync(join(build, 'client', 'sw.js'), `\n// deployed ${Date.now()}\n`);
	await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
	await expect(page.getByRole('status').filter({ hasText: 'A new version of Parley is ready.' })).toBeVisible({ timeout: 15_000 });
	// It waits for the person: nothing reloads by itself.
	await page.waitForTimeout(500);
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();

	const reloaded = page.waitForEvent('load');
	await page.getByRole('button', { name: 'Reload to update' }).click();
	await reloaded;
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Reload to update' })).toHaveCount(0);
	await context.close();
	await server.stop();
	rmSync(build, { recursive: true, force: true });
});

test('the Notifications switch asks for permission only when clicked', async ({ browser, baseURL }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.addInitScript(() => {
		(window as unknown as { permissionAsked: number }).permissionAsked = 0;
		const original = Notification.requestPermission.bind(Notification);
		Notification.requestPermission = () => {
			(window as unknown as { permissionAsked: number }).permissionAsked++;
			return original();
		};
	});
	await signUpInBrowser(page, 'Asker');
	await page.getByRole('link', { name: 'Settings' }).click();
	const toggle = page.getByRole('switch', { name: 'Notifications', exact: true });
	await expect(toggle).toHaveAttribute('aria-checked', 'false');
	expect(await page.evaluate(() => (window as unknown as { permissionAsked: number }).permissionAsked)).toBe(0);
	await context.grantPermissions(['notifications'], { origin: baseURL });
	await toggle.click();
	await expect.poll(() => page.evaluate(() => (window as unknown as { permissionAsked: number }).permissionAsked)).toBe(1);
	// Headless Chromium has no push service to reach: the switch explains rather than hanging.
	await expect(page.getByRole('alert').or(toggle.and(page.locator('[aria-checked="true"]')))).toBeVisible({ timeout: 30_000 });
	await context.close();
});

test('declining a ring tells the people in the room', async ({ browser }) => {
	const { a, b, pageA, pageB, second: callee } = await twoPeople(browser, ['Caller', 'Callee']);
	await createRoomWith(pageA, 'Ring ring', [callee]);
	const roomId = new URL(pageA.url()).pathname.split('/').pop();
	const post = (page: Page, path: string) => page.evaluate(async (p) => (await fetch(p, { method: 'POST' })).status, path);
	expect(await post(pageA, `/api/rooms/${roomId}/ring`)).toBe(202);
	// What the notification's "Decline" button sends.
	expect(await post(pageB, `/api/rooms/${roomId}/ring/decline`)).toBe(204);
	await expect(pageA.getByRole('status').filter({ hasText: `${callee.name} declined the call.` })).toBeVisible();
	await a.close();
	await b.close();
});
