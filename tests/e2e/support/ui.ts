import { expect, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';
import { CALL_UI_MS } from './bounds.ts';
import { newPerson } from './users.ts';

export type PersonInput = ReturnType<typeof newPerson>;
/** Someone signed up in a browser page, which stays signed in as them. */
export type SignedUp = PersonInput & { page: Page };

/** Fills and sends the sign-up form (the page must show it). */
export async function fillSignUp(page: Page, person: PersonInput) {
	await page.getByRole('textbox', { name: 'Name' }).fill(person.name);
	await page.getByRole('textbox', { name: 'Email' }).fill(person.email);
	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Sign up' }).click();
}

/** Signs a new person up through the UI and waits for the lobby. */
export async function signUpInBrowser(page: Page, name?: string): Promise<SignedUp> {
	const person = newPerson(name);
	await page.goto('/signup');
	await fillSignUp(page, person);
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	return { ...person, page };
}

/**
 * Two people, each signed up in a browser context of their own (`first` gets `firstOptions`),
 * both in the lobby. `close` closes both contexts.
 */
export async function twoPeople(browser: Browser, names: [string, string] = ['Alice', 'Bob'], firstOptions: BrowserContextOptions = {}) {
	const a = await browser.newContext(firstOptions);
	const b = await browser.newContext();
	const pageA = await a.newPage();
	const pageB = await b.newPage();
	const first = await signUpInBrowser(pageA, names[0]);
	const second = await signUpInBrowser(pageB, names[1]);
	return { a, b, pageA, pageB, first, second, close: async () => (await a.close(), await b.close()) };
}

/** Accepts an invitation to the room as the person signed in on `page`, over the API (the page stays where it is). */
export async function acceptInvitation(page: Page, roomId: string) {
	const status = await page.evaluate((id) => fetch(`/api/invitations/${id}`, { method: 'POST' }).then((r) => r.status), roomId);
	expect(status, 'accepting the invitation').toBe(200);
}

/** Joins the room's call through the pre-join screen (starting it if nobody is in it). */
export async function joinCall(page: Page) {
	await page.getByRole('button', { name: /^(Start|Join) call$/ }).click({ timeout: CALL_UI_MS });
	await expect(page.getByRole('group', { name: 'Before joining' }).getByLabel('Camera preview')).toBeVisible({ timeout: CALL_UI_MS });
	await page.getByRole('group', { name: 'Before joining' }).getByRole('button', { name: 'Join', exact: true }).click({ timeout: CALL_UI_MS });
	await expect(page.getByRole('button', { name: 'Leave call' })).toBeVisible({ timeout: CALL_UI_MS });
}

/**
 * Creates a group room from the lobby with these people in it (found by exact email), and opens
 * it. Being added is an invitation: each person accepts it in their own page.
 */
export async function createRoomWith(page: Page, roomName: string, people: SignedUp[]) {
	await page.getByRole('button', { name: 'New room' }).click();
	await page.getByRole('textbox', { name: 'Room name' }).fill(roomName);
	for (const person of people) {
		await page.getByRole('searchbox', { name: 'Add people' }).fill(person.email);
		await page.getByRole('button', { name: `Add ${person.name}` }).click();
	}
	await page.getByRole('button', { name: 'Create' }).click();
	await expect(page.getByRole('heading', { name: roomName })).toBeVisible();
	const roomId = new URL(page.url()).pathname.split('/').at(-1)!;
	for (const person of people) await acceptInvitation(person.page, roomId);
	return roomId;
}

/** Two people in a new room, each with the room open. */
export async function twoInARoom(browser: Browser, roomName = 'Chat') {
	const people = await twoPeople(browser);
	await createRoomWith(people.pageA, roomName, [people.second]);
	await people.pageB.getByRole('link', { name: new RegExp(roomName) }).click();
	await expect(people.pageB.getByRole('heading', { name: roomName })).toBeVisible();
	return people;
}

/** The room's message list. */
export const messageLog = (page: Page) => page.getByRole('log', { name: 'Messages' });

/** The sheet of what can be done with a message (a long press, or its "Message actions" button). */
export const messageSheet = (page: Page) => page.getByRole('dialog', { name: 'Message actions' });

/**
 * A long press by touch on a message (the page must have touch): a finger held on its avatar side until its
 * action sheet opens, then lifted.
 */
export async function longPress(message: Locator) {
	const page = message.page();
	await message.scrollIntoViewIfNeeded();
	const box = (await message.boundingBox())!;
	// A message taller than the list is pressed where the list shows it.
	const shown = (await messageLog(page).boundingBox())!;
	const top = Math.max(box.y, shown.y);
	const bottom = Math.min(box.y + box.height, shown.y + shown.height);
	const point = { x: Math.round(box.x + 24), y: Math.round(top + Math.min(20, (bottom - top) / 2)) };
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
	await expect(messageSheet(page)).toBeVisible();
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
	await cdp.detach();
}

/**
 * Does `action` ('Reply', 'Edit', 'Delete', …) on a message as a person on this device would: from the toolbar
 * shown on hover with a mouse, from the long-press sheet on a touch screen.
 */
export async function messageAction(message: Locator, action: string) {
	const page = message.page();
	if (await page.evaluate(() => matchMedia('(hover: none)').matches)) {
		await longPress(message);
		await messageSheet(page).getByRole('button', { name: action, exact: true }).click();
	} else {
		await message.hover();
		await message.getByRole('button', { name: action, exact: true }).click();
	}
}

/** Writes a message in the composer and sends it with Enter. */
export async function sendMessage(page: Page, text: string) {
	const box = page.getByRole('textbox', { name: 'Message' });
	await box.fill(text);
	await box.press('Enter');
	await expect(box).toHaveValue('');
}

/** Waits until the service worker controls the page and has kept the page itself, so it reloads offline. */
export async function keptForOffline(page: Page) {
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
	await expect.poll(() => page.evaluate(async () => (await (await caches.open('parley-pages')).keys()).map((r) => new URL(r.url).pathname))).toContain(new URL(page.url()).pathname);
}

/** A browser context signed in as someone made over the API (api-client.ts): their session cookie for `baseURL`. */
export async function signedInContext(browser: Browser, baseURL: string, who: { cookie: string }): Promise<BrowserContext> {
	const context = await browser.newContext();
	const [name, ...value] = who.cookie.split('=');
	await context.addCookies([{ name, value: value.join('='), url: baseURL }]);
	return context;
}

/** A page signed in as someone made over the API, in the lobby. */
export async function lobbyAs(browser: Browser, baseURL: string, who: { cookie: string }) {
	const context = await signedInContext(browser, baseURL, who);
	const page = await context.newPage();
	await page.goto(`${baseURL}/`);
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	return { context, page };
}

/** A page signed in as someone made over the API, in a room, ready to write. */
export async function roomAs(browser: Browser, baseURL: string, who: { cookie: string }, roomId: string): Promise<Page> {
	const page = await (await signedInContext(browser, baseURL, who)).newPage();
	await page.goto(`${baseURL}/rooms/${roomId}`);
	await expect(page.getByRole('textbox', { name: 'Message' })).toBeEnabled();
	return page;
}
