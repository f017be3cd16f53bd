import { expect, test, type Browser, type Page } from '@playwright/test';
import { startServer, type RunningServer } from './support/server.ts';
import { createRoomWith, fillSignUp, signUpInBrowser, type SignedUp } from './support/ui.ts';
import { newPerson } from './support/users.ts';

/** How long a disabled person's open page may take to notice (the events stream retries after 3 s). */
const SIGNED_OUT_MS = 15_000;

/** Someone signed up through the UI in a browser context of their own on `server` (the first one is the instance's administrator). */
async function personOn(browser: Browser, server: RunningServer, name: string, options: { clipboard?: boolean } = {}): Promise<SignedUp> {
	const context = await browser.newContext({ baseURL: server.url, permissions: options.clipboard ? ['clipboard-read', 'clipboard-write'] : [] });
	return signUpInBrowser(await context.newPage(), name);
}

/** Opens the admin page the way an administrator would: the header's Admin link. */
async function openAdmin(page: Page) {
	await page.goto('/');
	await page.getByRole('link', { name: 'Admin', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
}

async function confirmInDialog(page: Page, button: string) {
	const dialog = page.getByRole('dialog');
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: button, exact: true }).click();
	await expect(dialog).toBeHidden();
}

/** The audit log's entries as the page shows them, newest first. */
const auditEntries = (page: Page) => page.getByRole('list', { name: 'Audit log' }).getByRole('listitem');

async function signIn(page: Page, email: string, password: string) {
	await page.goto('/signin');
	await page.getByRole('textbox', { name: 'Email' }).fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an admin disables a person from the page: their open room is signed out within seconds, they cannot sign in; re-enabling lets them back', async ({ browser }) => {
	const server = await startServer({ SIGNUPS: 'open' });
	try {
		const admin = await personOn(browser, server, 'Admin');
		const dora = await personOn(browser, server, 'Dora');
		const roomId = await createRoomWith(admin.page, 'Greenhouse', [dora]);

		// Dora has the room open, its socket connected.
		const socketOpened = dora.page.waitForEvent('websocket', (ws) => ws.url().includes('/sync'));
		await dora.page.goto(`/rooms/${roomId}`);
		await expect(dora.page.getByRole('heading', { name: 'Greenhouse' })).toBeVisible();
		const socket = await socketOpened;
		let socketClosed = false;
		socket.on('close', () => (socketClosed = true));

		await openAdmin(admin.page);
		await admin.page.getByRole('searchbox', { name: 'Search people' }).fill(dora.email);
		const list = admin.page.getByRole('list', { name: 'People' });
		await expect(list.getByRole('listitem')).toHaveCount(1);
		await list.getByRole('button', { name: `Disable ${dora.name}` }).click();
		await confirmInDialog(admin.page, 'Disable');
		await expect(admin.page.getByRole('status').filter({ hasText: 'is disabled' })).toBeVisible();
		await expect(list.getByRole('listitem').filter({ hasText: dora.name })).toContainText('disabled');

		// Her open page loses its room socket and lands on sign-in, without anyone reloading it.
		await expect.poll(() => socketClosed, { timeout: SIGNED_OUT_MS }).toBe(true);
		await expect(dora.page).toHaveURL(/\/signin/, { timeout: SIGNED_OUT_MS });
		await signIn(dora.page, dora.email, dora.password);
		await expect(dora.page.getByRole('alert')).toContainText('disabled', { timeout: 10_000 });

		await list.getByRole('button', { name: `Re-enable ${dora.name}` }).click();
		await confirmInDialog(admin.page, 'Re-enable');
		await expect(admin.page.getByRole('status').filter({ hasText: 'can sign in again' })).toBeVisible();
		await signIn(dora.page, dora.email, dora.password);
		await expect(dora.page.getByRole('heading', { name: 'Your rooms' })).toBeVisible({ timeout: 15_000 });

		// An administrator cannot disable themselves from the page.
		await admin.page.getByRole('searchbox', { name: 'Search people' }).fill(admin.email);
		await expect(list.getByRole('listitem')).toHaveCount(1);
		await expect(list.getByRole('button', { name: `Disable ${admin.name}` })).toHaveCount(0);

		const entries = auditEntries(admin.page);
		await expect(entries.nth(0)).toContainText(`${admin.name} re-enabled ${dora.name} <${dora.email}>`);
		await expect(entries.nth(1)).toContainText(`${admin.name} disabled ${dora.name} <${dora.email}>`);
	} finally {
		await server.stop();
	}
});

test('an admin makes a reset-password link on the page: it is shown with a copy button and works once', async ({ browser }) => {
	const server = await startServer({ SIGNUPS: 'open' });
	try {
		const admin = await personOn(browser, server, 'Admin', { clipboard: true });
		const rita = await personOn(browser, server, 'Rita');
		await openAdmin(admin.page);
		await admin.page.getByRole('searchbox', { name: 'Search people' }).fill('Rita');
		await admin.page.getByRole('button', { name: `Reset-password link for ${rita.name}` }).click();
		const field = admin.page.getByRole('textbox', { name: `Reset-password link for ${rita.name}` });
		await expect(field).toHaveValue(/\/reset-password\?token=/);
		const url = await field.inputValue();
		await admin.page.getByRole('button', { name: 'Copy the link' }).click();
		await expect(admin.page.getByRole('button', { name: 'Copied' })).toBeVisible();
		expect(await admin.page.evaluate(() => navigator.clipboard.readText())).toBe(url);

		const stranger = await (await browser.newContext({ baseURL: server.url })).newPage();
		await stranger.goto(url);
		await stranger.getByLabel('New password').fill('handed over in person');
		await stranger.getByRole('button', { name: 'Save the password' }).click();
		await expect(stranger.getByRole('status')).toContainText('Your password is changed', { timeout: 10_000 });
		// The new password signs in; Rita's old session ended with the reset.
		await signIn(stranger, rita.email, 'handed over in person');
		await expect(stranger.getByRole('heading', { name: 'Your rooms' })).toBeVisible({ timeout: 15_000 });
		await expect(rita.page).toHaveURL(/\/signin/, { timeout: SIGNED_OUT_MS });

		// Once only.
		const again = await (await browser.newContext({ baseURL: server.url })).newPage();
		await again.goto(url);
		await again.getByLabel('New password').fill('handed over twice');
		await again.getByRole('button', { name: 'Save the password' }).click();
		await expect(again.getByRole('alert')).toContainText('invalid or has expired', { timeout: 10_000 });

		await admin.page.reload();
		await expect(auditEntries(admin.page).nth(0)).toContainText(`${admin.name} made a reset-password link for ${rita.name}`);
	} finally {
		await server.stop();
	}
});

test('deleting a room from the admin page removes it for its members at once', async ({ browser }) => {
	const server = await startServer({ SIGNUPS: 'open' });
	try {
		const admin = await personOn(browser, server, 'Admin');
		const bob = await personOn(browser, server, 'Bob');
		const cleo = await personOn(browser, server, 'Cleo');
		const roomId = await createRoomWith(bob.page, 'Attic', [cleo]);
		await cleo.page.goto(`/rooms/${roomId}`);
		await expect(cleo.page.getByRole('heading', { name: 'Attic' })).toBeVisible();

		await openAdmin(admin.page);
		const rooms = admin.page.getByRole('list', { name: 'Rooms' });
		await expect(rooms.getByRole('listitem').filter({ hasText: 'Attic' })).toContainText('2 members');
		await expect(admin.page.getByText('1 room on this server.')).toBeVisible();
		await rooms.getByRole('button', { name: 'Delete the room Attic' }).click();
		await confirmInDialog(admin.page, 'Delete');
		await expect(admin.page.getByRole('status').filter({ hasText: 'Attic is deleted' })).toBeVisible();
		await expect(admin.page.getByText('No rooms yet.')).toBeVisible();

		// Cleo was in it: she is told and taken to the lobby; Bob's lobby no longer lists it.
		await expect(cleo.page.getByText('This room was deleted.')).toBeVisible({ timeout: 10_000 });
		await expect(cleo.page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
		await expect(bob.page.getByRole('link', { name: /Attic/ })).toHaveCount(0, { timeout: 10_000 });
		await expect(auditEntries(admin.page).nth(0)).toContainText(`${admin.name} deleted the room Attic`);
	} finally {
		await server.stop();
	}
});

test('the sign-up mode set on the page applies at once, and a sign-up link made there lets one person in', async ({ browser }) => {
	const server = await startServer({ SIGNUPS: 'open' });
	try {
		const admin = await personOn(browser, server, 'Admin', { clipboard: true });
		await openAdmin(admin.page);
		await admin.page.getByRole('combobox', { name: 'Who may sign up' }).selectOption({ label: 'Closed: sign-up links only' });
		await admin.page.getByRole('button', { name: 'Save' }).click();
		await expect(admin.page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
		await expect(admin.page.getByText('In force now: Closed: sign-up links only.')).toBeVisible();

		const stranger = await (await browser.newContext({ baseURL: server.url })).newPage();
		await stranger.goto('/signup');
		await expect(stranger.getByRole('alert')).toContainText('Sign-up is closed on this server');

		await admin.page.getByRole('button', { name: 'Create a sign-up link' }).click();
		const url = await admin.page.getByRole('textbox', { name: 'Sign-up link' }).inputValue();
		expect(url).toMatch(/\/signup\?link=/);
		await stranger.goto(url);
		await fillSignUp(stranger, newPerson('Linked'));
		await expect(stranger.getByRole('heading', { name: 'Your rooms' })).toBeVisible({ timeout: 15_000 });
		const late = await (await browser.newContext({ baseURL: server.url })).newPage();
		await late.goto(url);
		await expect(late.getByRole('alert')).toContainText('used or has expired');

		await admin.page.reload();
		const entries = auditEntries(admin.page);
		await expect(entries.nth(0)).toContainText(`${admin.name} created a sign-up link`);
		await expect(entries.nth(1)).toContainText(`${admin.name} set who may sign up: Closed`);
	} finally {
		await server.stop();
	}
});

test('someone who is not an administrator sees no Admin link and gets 404 for /admin', async ({ browser }) => {
	const server = await startServer({ SIGNUPS: 'open' });
	try {
		const admin = await personOn(browser, server, 'Admin');
		const eve = await personOn(browser, server, 'Eve');
		await expect(admin.page.getByRole('link', { name: 'Admin', exact: true })).toBeVisible();
		await expect(eve.page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
		await expect(eve.page.getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);
		const response = await eve.page.goto('/admin');
		expect(response?.status()).toBe(404);
		await expect(eve.page.getByRole('heading', { name: 'Administration' })).toHaveCount(0);
		await expect(eve.page.getByText(eve.email)).toHaveCount(0);
		// Signed out: to sign-in first, not a glimpse of the page.
		const stranger = await (await browser.newContext({ baseURL: server.url })).newPage();
		await stranger.goto('/admin');
		await expect(stranger).toHaveURL(/\/signin\?next=%2Fadmin/);
	} finally {
		await server.stop();
	}
});
