import { expect, test, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { call, createRoomWithMembers, signUpPerson, type Person } from './support/api-client.ts';
import { messageAction, messageLog, sendMessage, twoInARoom } from './support/ui.ts';

// Errors in Parley's own look, said in plain words, with a way back; and the keyboard's way past the header.

const UNAVAILABLE = 'This room isn’t available';

/** A page signed in as `who` (their session cookie), on the suite's server. */
async function pageAs(browser: Browser, baseURL: string, who: Person, options: BrowserContextOptions = {}): Promise<Page> {
	const context = await browser.newContext({ baseURL, ...options });
	const [name, value] = who.cookie.split('=');
	await context.addCookies([{ name, value, url: baseURL }]);
	return context.newPage();
}

/** The way back from an error page: to the rooms list, which then shows. */
async function goBack(page: Page) {
	await page.getByRole('main').getByRole('link', { name: 'Back to your rooms' }).click();
	await expect(page.getByRole('heading', { name: 'Your rooms', level: 1 })).toBeVisible();
}

test('an unknown address shows "Page not found" in Parley’s look, with a way back to the rooms @phone', async ({ browser, baseURL }) => {
	const ada = await signUpPerson(baseURL!, 'Ada');
	const page = await pageAs(browser, baseURL!, ada);
	const response = await page.goto('/no/such/page');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
	await expect(page.getByRole('main')).toContainText('There is nothing at this address.');
	await expect(page.getByRole('main')).toContainText('Error 404');
	await expect(page).toHaveTitle('Page not found · Parley');
	// The app's header is there too: the page is Parley's, not a bare server answer.
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await goBack(page);
	await page.context().close();
});

test('signed out, an unknown address shows "Page not found" in the person’s language, with the way to sign in @phone', async ({ browser, baseURL }) => {
	const stranger = await (await browser.newContext({ baseURL })).newPage();
	await stranger.goto('/nowhere');
	await expect(stranger.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
	await stranger.getByRole('link', { name: 'Go to sign-in' }).click();
	await expect(stranger.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
	await stranger.context().close();

	const russian = await (await browser.newContext({ baseURL, locale: 'ru-RU' })).newPage();
	await russian.goto('/nowhere');
	await expect(russian.getByRole('heading', { name: 'Страница не найдена', level: 1 })).toBeVisible();
	await expect(russian.getByRole('link', { name: 'Перейти ко входу' })).toBeVisible();
	await russian.context().close();
});

test('a broken address is refused in plain words, with a way back', async ({ browser, baseURL }) => {
	const ada = await signUpPerson(baseURL!, 'Ada');
	const page = await pageAs(browser, baseURL!, ada);
	const response = await page.goto('/rooms/%E0%A4%A');
	expect(response?.status()).toBe(400);
	await expect(page.getByRole('heading', { name: 'Parley can’t open this page', level: 1 })).toBeVisible();
	await expect(page.getByRole('main')).toContainText('This address is not valid');
	await goBack(page);
	await page.context().close();
});

test('a room that does not exist and a room someone was never in look the same: nothing says the room exists @phone', async ({ browser, baseURL }) => {
	const owner = await signUpPerson(baseURL!, 'Olga');
	const stranger = await signUpPerson(baseURL!, 'Sam');
	const room = await createRoomWithMembers(baseURL!, owner, 'Private plans', []);
	const page = await pageAs(browser, baseURL!, stranger);

	expect((await page.goto('/rooms/no-such-room'))?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: UNAVAILABLE, level: 1 })).toBeVisible();
	await expect(page.getByRole('main')).toContainText('It doesn’t exist, or you’re no longer a member of it.');
	const missing = await page.getByRole('main').innerText();

	expect((await page.goto(`/rooms/${room.id}`))?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: UNAVAILABLE, level: 1 })).toBeVisible();
	expect(await page.getByRole('main').innerText()).toBe(missing);
	await expect(page.getByText('Private plans')).toHaveCount(0);
	// Its settings page too.
	await page.goto(`/rooms/${room.id}/settings`);
	await expect(page.getByRole('heading', { name: UNAVAILABLE, level: 1 })).toBeVisible();
	await goBack(page);
	await page.context().close();
});

test('someone who left a room, or was removed from it, is told on opening its address, with a way back', async ({ browser, baseURL }) => {
	// Several people or pages in one test: more than the default budget on a loaded machine.
	test.slow();
	const owner = await signUpPerson(baseURL!, 'Olga');
	const leaver = await signUpPerson(baseURL!, 'Lev');
	const removed = await signUpPerson(baseURL!, 'Rita');
	const banned = await signUpPerson(baseURL!, 'Boris');
	const room = await createRoomWithMembers(baseURL!, owner, 'Book club', [leaver, removed, banned]);

	const page = await pageAs(browser, baseURL!, leaver);
	await page.goto(`/rooms/${room.id}`);
	await expect(page.getByRole('heading', { name: 'Book club', level: 1 })).toBeVisible();
	await page.getByRole('link', { name: 'Room settings' }).click();
	await page.getByRole('button', { name: 'Leave room' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Leave room' }).click();
	await expect(page.getByRole('heading', { name: 'Your rooms', level: 1 })).toBeVisible();
	// Later, from the browser's history or a bookmark:
	await page.goto(`/rooms/${room.id}`);
	await expect(page.getByRole('heading', { name: UNAVAILABLE, level: 1 })).toBeVisible();
	await expect(page.getByRole('main')).toContainText('you’re no longer a member of it');
	await goBack(page);
	await page.context().close();

	// Removed by the owner: the same page (without a ban the server keeps no trace of them having been in it).
	expect((await call(baseURL!, owner, 'DELETE', `/api/rooms/${room.id}/members/${removed.id}`)).status).toBe(204);
	const removedPage = await pageAs(browser, baseURL!, removed);
	await removedPage.goto(`/rooms/${room.id}`);
	await expect(removedPage.getByRole('heading', { name: UNAVAILABLE, level: 1 })).toBeVisible();
	await removedPage.context().close();

	// Removed and banned: the ban names them, so the page can say so.
	expect((await call(baseURL!, owner, 'DELETE', `/api/rooms/${room.id}/members/${banned.id}?ban=1`)).status).toBe(204);
	const bannedPage = await pageAs(browser, baseURL!, banned);
	expect((await bannedPage.goto(`/rooms/${room.id}`))?.status()).toBe(404);
	await expect(bannedPage.getByRole('heading', { name: 'You were removed from this room', level: 1 })).toBeVisible();
	await expect(bannedPage.getByText('Book club')).toHaveCount(0);
	await goBack(bannedPage);
	await bannedPage.context().close();
});

test('followed inside the app, a link to a room someone was removed from shows the same page', async ({ browser, baseURL }) => {
	const owner = await signUpPerson(baseURL!, 'Olga');
	const banned = await signUpPerson(baseURL!, 'Boris');
	const room = await createRoomWithMembers(baseURL!, owner, 'Book club', [banned]);
	expect((await call(baseURL!, owner, 'DELETE', `/api/rooms/${room.id}/members/${banned.id}?ban=1`)).status).toBe(204);
	const page = await pageAs(browser, baseURL!, banned);
	// The layout's live events start once the page has hydrated: from then on the app's router follows links.
	const live = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/events');
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Your rooms', level: 1 })).toBeVisible();
	await live;
	// A link in the page (as a message's link would be), followed by the app's router, not a new page load.
	await page.evaluate((href) => {
		(window as unknown as { stayed: boolean }).stayed = true;
		const link = Object.assign(document.createElement('a'), { href, textContent: 'the old room' });
		document.body.append(link);
	}, `/rooms/${room.id}`);
	await page.getByRole('link', { name: 'the old room' }).click();
	await expect(page.getByRole('heading', { name: 'You were removed from this room', level: 1 })).toBeVisible();
	expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
	await goBack(page);
	await page.context().close();
});

test('someone invited but not yet in a room is sent to accept the invitation', async ({ browser, baseURL }) => {
	const owner = await signUpPerson(baseURL!, 'Olga');
	const guest = await signUpPerson(baseURL!, 'Gia');
	const room = await call<{ id: string }>(baseURL!, owner, 'POST', '/api/rooms', { name: 'Garden', memberIds: [guest.id] });
	expect(room.status).toBe(201);
	const page = await pageAs(browser, baseURL!, guest);
	await page.goto(`/rooms/${room.body.id}`);
	await expect(page.getByRole('heading', { name: 'You’re invited to this room', level: 1 })).toBeVisible();
	await goBack(page);
	await expect(page.getByRole('button', { name: 'Accept invitation to Garden' })).toBeVisible();
	await page.context().close();
});

test('the skip link is the first Tab stop on every page and moves focus to the main content', async ({ browser, baseURL }) => {
	// Several people or pages in one test: more than the default budget on a loaded machine.
	test.slow();
	const ada = await signUpPerson(baseURL!, 'Ada');
	const room = await createRoomWithMembers(baseURL!, ada, 'Quiet room', []);
	const page = await pageAs(browser, baseURL!, ada);
	for (const [path, heading] of [
		['/', 'Your rooms'],
		[`/rooms/${room.id}`, 'Quiet room'],
		['/settings', 'Settings'],
		['/no/such/page', 'Page not found']
	]) {
		await page.goto(path);
		await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
		const skip = page.getByRole('link', { name: 'Skip to content' });
		await expect(skip).not.toBeInViewport();
		await page.keyboard.press('Tab');
		await expect(skip, path).toBeFocused();
		await expect(skip, path).toBeInViewport();
		await page.keyboard.press('Enter');
		await expect(page.getByRole('main'), path).toBeFocused();
		await expect(skip).not.toBeInViewport();
	}
	await page.context().close();
});

test('Escape cancels editing a message and leaves it as it was', async ({ browser, baseURL }) => {
	const ada = await signUpPerson(baseURL!, 'Ada');
	const room = await createRoomWithMembers(baseURL!, ada, 'Drafts', []);
	const page = await pageAs(browser, baseURL!, ada);
	await page.goto(`/rooms/${room.id}`);
	await expect(page.getByRole('heading', { name: 'Drafts', level: 1 })).toBeVisible();
	await sendMessage(page, 'as first written');
	const mine = messageLog(page).getByRole('article').filter({ hasText: 'as first written' });
	await messageAction(mine, 'Edit');
	const box = page.getByRole('textbox', { name: 'Message' });
	await expect(page.getByText('Editing your message')).toBeVisible();
	await box.fill('second thoughts');
	await box.press('Escape');
	await expect(page.getByText('Editing your message')).toHaveCount(0);
	await expect(box).toHaveValue('');
	await expect(mine).not.toContainText('(edited)');
	await expect(messageLog(page).getByText('second thoughts')).toHaveCount(0);
	await page.context().close();
});

test('Up arrow in an empty message box edits my last message, and only mine', async ({ browser, baseURL }) => {
	const ada = await signUpPerson(baseURL!, 'Ada');
	const room = await createRoomWithMembers(baseURL!, ada, 'Quick edits', []);
	const page = await pageAs(browser, baseURL!, ada);
	await page.goto(`/rooms/${room.id}`);
	await expect(page.getByRole('heading', { name: 'Quick edits', level: 1 })).toBeVisible();
	await sendMessage(page, 'first of mine');
	await sendMessage(page, 'my lsat message');
	const box = page.getByRole('textbox', { name: 'Message' });
	// With text in the box, Up moves the caret as usual.
	await box.fill('a draft');
	await box.press('ArrowUp');
	await expect(page.getByText('Editing your message')).toHaveCount(0);
	await box.fill('');
	await box.press('ArrowUp');
	await expect(page.getByText('Editing your message')).toBeVisible();
	await expect(box).toHaveValue('my lsat message');
	await box.fill('my last message');
	await box.press('Enter');
	const edited = messageLog(page).getByRole('article').filter({ hasText: 'my last message' });
	await expect(edited).toContainText('(edited)');
	await expect(messageLog(page).getByRole('article').filter({ hasText: 'first of mine' })).not.toContainText('(edited)');
	await page.context().close();
});

test('"This room was deleted" is told to the others, not to the one who deleted it, and goes once it no longer applies', async ({ browser }) => {
	const { pageA, pageB, close } = await twoInARoom(browser, 'Short lived');
	await expect(pageA.getByRole('heading', { name: 'Short lived', level: 1 })).toBeVisible();
	await pageA.getByRole('link', { name: 'Room Settings' }).click();
	await pageA.getByRole('button', { name: 'Delete room' }).click();
	await pageA.getByRole('dialog').getByRole('button', { name: 'Delete room' }).click();
	const told = (page: Page) => page.getByRole('status').filter({ hasText: 'This room was deleted.' });
	// Bob was in the room: he is taken to his rooms and told why.
	await expect(pageB.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(told(pageB)).toBeVisible();
	// Ann did it herself: back in her rooms, with nothing to be told.
	await expect(pageA.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(told(pageA)).toHaveCount(0);
	// Bob moves on: the notice does not follow him.
	await pageB.getByRole('link', { name: 'Settings' }).first().click();
	await expect(pageB.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
	await expect(told(pageB)).toHaveCount(0);
	await close();
});
