import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { waitFor } from '../../sync/test-harness.ts';
import { call, createRoomWithMembers, signUpPerson, type Person } from './support/api-client.ts';
import { syncWriter } from './support/sync-writer.ts';
import { keptForOffline, lobbyAs, messageLog } from './support/ui.ts';


/** Someone else writing to the room over the sync protocol; each batch waits until the server stored it. */
async function writerFor(baseURL: string, roomId: string, author: Person) {
	const writer = await syncWriter(baseURL.replace('http', 'ws') + '/sync', roomId, author);
	let sent = 0;
	return {
		async write(texts: string[]) {
			for (const text of texts) writer.write(text);
			sent += texts.length;
			await waitFor(() => writer.acked.size === sent, 10_000, 'messages stored');
		},
		close: () => writer.close()
	};
}

const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} ${String(i + 1).padStart(2, '0')}`);
const article = (page: Page, text: string) => messageLog(page).getByRole('article').filter({ has: page.getByText(text, { exact: true }) });
const divider = (page: Page) => messageLog(page).getByRole('separator', { name: 'New messages' });
const jumpButton = (page: Page) => page.getByRole('button', { name: /^Jump to latest/ });
const unreadIn = (baseURL: string, who: Person, roomId: string) => async () =>
	(await call<{ rooms: { id: string; unread: number }[] }>(baseURL, who, 'GET', '/api/rooms')).body.rooms.find((r) => r.id === roomId)?.unread;

/**
 * Scrolls the message list to the top (0) or the bottom (Infinity), as a person does: again as the rows coming into
 * view are measured and the list's height changes, until it stays there.
 */
const scrollLog = (page: Page, to: 0 | typeof Infinity) =>
	messageLog(page).evaluate(async (log, bottom) => {
		const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
		for (let still = 0, i = 0; still < 3 && i < 100; i++) {
			const target = bottom ? log.scrollHeight - log.clientHeight : 0;
			if (Math.abs(log.scrollTop - target) <= 1) still++;
			else {
				still = 0;
				log.scrollTo({ top: target });
			}
			await frame();
		}
	}, to === Infinity);

async function openFromLobby(page: Page, roomName: string) {
	await page.getByRole('link', { name: new RegExp(roomName) }).click();
	await expect(page.getByRole('heading', { name: roomName })).toBeVisible();
}

async function backToLobby(page: Page) {
	await page.getByRole('link', { name: 'Back to the lobby' }).click();
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
}

async function expectDirectlyAbove(upper: Locator, lower: Locator) {
	const [a, b] = [await upper.boundingBox(), await lower.boundingBox()];
	expect(a && b, 'both on screen').toBeTruthy();
	const gap = b!.y - (a!.y + a!.height);
	expect(gap, 'nothing between them').toBeGreaterThanOrEqual(-1);
	expect(gap, 'nothing between them').toBeLessThan(12);
}

test('unread: the room opens at a "New messages" divider before the first message not read; "Jump to latest" counts what arrives while scrolled up @phone', async ({ browser, baseURL }) => {
	const [ann, ben] = await Promise.all([signUpPerson(baseURL!, 'Ann'), signUpPerson(baseURL!, 'Ben')]);
	const room = await createRoomWithMembers(baseURL!, ann, 'Reading', [ben]);
	const ann$ = await writerFor(baseURL!, room.id, ann);
	await ann$.write(numbered('earlier', 40));

	// Ben reads the room (all of it new to him: it opens at the first), then goes back to the lobby.
	const { context, page } = await lobbyAs(browser, baseURL!, ben);
	await openFromLobby(page, 'Reading');
	await expect(article(page, 'earlier 01')).toBeInViewport({ timeout: 10_000 });
	await scrollLog(page, Infinity);
	await expect(article(page, 'earlier 40')).toBeInViewport();
	await expect.poll(unreadIn(baseURL!, ben, room.id), { timeout: 10_000 }).toBe(0);
	await backToLobby(page);

	// More than a screen arrives while he is away: the lobby counts it, and the room opens where he left off.
	await ann$.write(numbered('unseen', 40));
	const inLobby = page.getByRole('link', { name: /Reading/ });
	await expect(inLobby.getByLabel('40 unread')).toBeVisible({ timeout: 10_000 });
	await openFromLobby(page, 'Reading');
	await expect(divider(page)).toBeInViewport({ timeout: 10_000 });
	await expect(article(page, 'unseen 01')).toBeInViewport();
	await expect(article(page, 'unseen 40')).not.toBeInViewport();
	await expectDirectlyAbove(divider(page), article(page, 'unseen 01'));
	await expectDirectlyAbove(article(page, 'earlier 40'), divider(page));
	await expect(divider(page)).toHaveCount(1);

	// Scrolled up, three more arrive: the button says how many; it takes him to the newest and goes.
	await scrollLog(page, 0);
	await expect(article(page, 'earlier 01')).toBeInViewport();
	await ann$.write(numbered('latest', 3));
	await expect(page.getByRole('button', { name: 'Jump to latest, 3 new' })).toBeVisible({ timeout: 10_000 });
	await expect(article(page, 'latest 03')).not.toBeInViewport();
	const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
	expect(axe.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
	await jumpButton(page).click();
	await expect(article(page, 'latest 03')).toBeInViewport();
	await expect(jumpButton(page)).toHaveCount(0);
	// The divider stayed where it was, not moved before what came in during the visit.
	await expectDirectlyAbove(article(page, 'unseen 40'), article(page, 'latest 01'));

	// Scrolled up again, two arrive; scrolling down to them himself puts the button away too.
	await scrollLog(page, 0);
	await expect(article(page, 'earlier 01')).toBeInViewport();
	await ann$.write(numbered('later', 2));
	await expect(page.getByRole('button', { name: 'Jump to latest, 2 new' })).toBeVisible({ timeout: 10_000 });
	await scrollLog(page, Infinity);
	await expect(article(page, 'later 02')).toBeInViewport();
	await expect(jumpButton(page)).toHaveCount(0);

	// From the keyboard, the composer is where one lands once the button has gone.
	await scrollLog(page, 0);
	await expect(article(page, 'earlier 01')).toBeInViewport();
	await ann$.write(['last word']);
	await page.getByRole('button', { name: 'Jump to latest, 1 new' }).focus();
	await page.keyboard.press('Enter');
	await expect(article(page, 'last word')).toBeInViewport();
	await expect(jumpButton(page)).toHaveCount(0);
	await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();

	// Reading marked the room read: no badge in the lobby, and it opens at the newest, with no divider.
	await expect.poll(unreadIn(baseURL!, ben, room.id), { timeout: 10_000 }).toBe(0);
	await backToLobby(page);
	await expect(inLobby.getByLabel(/unread/)).toHaveCount(0);
	await openFromLobby(page, 'Reading');
	await expect(article(page, 'last word')).toBeInViewport({ timeout: 10_000 });
	await expect(divider(page)).toHaveCount(0);

	ann$.close();
	await context.close();
});

test('unread: a room opened offline puts the divider after what this device read, not what the kept page said', async ({ browser, baseURL }) => {
	const [ann, ben] = await Promise.all([signUpPerson(baseURL!, 'Ann'), signUpPerson(baseURL!, 'Ben')]);
	const room = await createRoomWithMembers(baseURL!, ann, 'Offline reading', [ben]);
	const ann$ = await writerFor(baseURL!, room.id, ann);
	await ann$.write(numbered('first', 5));

	// The page kept for offline is the one of his first visit, when nothing was read yet.
	const { context, page } = await lobbyAs(browser, baseURL!, ben);
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
	await openFromLobby(page, 'Offline reading');
	await expect(divider(page)).toBeVisible();
	await expectDirectlyAbove(divider(page), article(page, 'first 01'));
	await keptForOffline(page);
	await expect.poll(unreadIn(baseURL!, ben, room.id), { timeout: 10_000 }).toBe(0);
	await backToLobby(page);

	// Offline the room opens from that page and this device's copy of the chat: what he read is not new.
	await context.setOffline(true);
	await openFromLobby(page, 'Offline reading');
	await expect(article(page, 'first 05')).toBeInViewport({ timeout: 10_000 });
	await expect(divider(page)).toHaveCount(0);

	ann$.close();
	await context.close();
});
