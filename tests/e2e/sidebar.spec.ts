import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { messageLog, roomAs, sendMessage } from './support/ui.ts';

// A room page on a wide screen is two panes, as in a chat client: the person's rooms (newest message, when, unread)
// beside the conversation, kept while moving between rooms. On a phone the room has the screen.

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });
const roomLink = (page: Page, name: string) => sidebar(page).getByRole('link', { name: new RegExp(`^${name}`) });

test('the room list stays beside the conversation, with each room’s newest message and unread count, live', async ({ browser, baseURL }) => {
	test.slow();
	const ada = await signUpPerson(baseURL!, 'Ada');
	const bob = await signUpPerson(baseURL!, 'Bob');
	const garden = await createRoomWithMembers(baseURL!, ada, 'Garden', [bob]);
	const kitchen = await createRoomWithMembers(baseURL!, ada, 'Kitchen', [bob]);
	const bobPage = await roomAs(browser, baseURL!, bob, kitchen.id);
	await sendMessage(bobPage, 'The soup is **ready**');
	await expect(messageLog(bobPage).getByText('Sending…')).toHaveCount(0);

	const page = await roomAs(browser, baseURL!, ada, garden.id);
	await expect(page.getByRole('heading', { name: 'Garden', level: 1 })).toBeVisible();
	await expect(roomLink(page, 'Garden')).toHaveAttribute('aria-current', 'page');
	await expect(roomLink(page, 'Garden')).toContainText('No messages yet');
	// Markdown markers stay as typed in a one-line preview, and the author is named in a group.
	await expect(roomLink(page, 'Kitchen')).toContainText(`${bob.name}: The soup is **ready**`);
	await expect(roomLink(page, 'Kitchen').getByLabel('1 unread', { exact: true })).toBeVisible();

	// The list stays as it was while moving between rooms: what was typed in its filter is still there.
	const filter = sidebar(page).getByRole('searchbox', { name: 'Filter rooms' });
	await filter.fill('itch');
	await expect(sidebar(page).getByRole('link')).toHaveCount(1);
	await roomLink(page, 'Kitchen').click();
	await expect(page.getByRole('heading', { name: 'Kitchen', level: 1 })).toBeVisible();
	await expect(messageLog(page).getByText('The soup is')).toBeVisible();
	await expect(filter).toHaveValue('itch');
	await expect(roomLink(page, 'Kitchen')).toHaveAttribute('aria-current', 'page');
	await filter.fill('');

	// A message in another room shows there at once, counted unread; the room being read counts nothing.
	await bobPage.goto(`/rooms/${garden.id}`);
	await expect(bobPage.getByRole('heading', { name: 'Garden', level: 1 })).toBeVisible();
	await sendMessage(bobPage, 'Tomatoes are in');
	await expect(roomLink(page, 'Garden')).toContainText(`${bob.name}: Tomatoes are in`, { timeout: 15_000 });
	await expect(roomLink(page, 'Garden').getByLabel('1 unread', { exact: true })).toBeVisible();
	await expect(roomLink(page, 'Kitchen').getByLabel(/unread/)).toHaveCount(0);
	// Most recently active first.
	await expect(sidebar(page).getByRole('link').first()).toContainText('Garden');

	// My own message is mine in the list.
	await sendMessage(page, 'Coming!');
	await expect(roomLink(page, 'Kitchen')).toContainText('You: Coming!', { timeout: 15_000 });

	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		const axe = await new AxeBuilder({ page }).include('nav').withTags(['wcag2a', 'wcag2aa']).analyze();
		expect(axe.violations, scheme).toEqual([]);
	}
	await page.context().close();
	await bobPage.context().close();
});

test('New message and New room start from the room list', async ({ browser, baseURL }) => {
	const ada = await signUpPerson(baseURL!, 'Ada');
	await signUpPerson(baseURL!, 'Zoltan Kodaly');
	const garden = await createRoomWithMembers(baseURL!, ada, 'Garden', []);
	const page = await roomAs(browser, baseURL!, ada, garden.id);

	await sidebar(page).getByRole('button', { name: 'New room' }).click();
	const dialog = page.getByRole('dialog', { name: 'New room' });
	await dialog.getByRole('textbox', { name: 'Room name' }).fill('Workshop');
	await dialog.getByRole('button', { name: 'Create' }).click();
	await expect(page.getByRole('heading', { name: 'Workshop', level: 1 })).toBeVisible();
	await expect(roomLink(page, 'Workshop')).toHaveAttribute('aria-current', 'page');

	await sidebar(page).getByRole('button', { name: 'New message' }).click();
	const message = page.getByRole('dialog', { name: 'New message' });
	await message.getByRole('searchbox', { name: 'Write to' }).fill('zolt');
	await message.getByRole('button', { name: 'Message Zoltan Kodaly' }).click();
	await expect(page.getByRole('heading', { name: 'Zoltan Kodaly', level: 1 })).toBeVisible();
	await expect(roomLink(page, 'Zoltan Kodaly')).toHaveAttribute('aria-current', 'page');
	await page.context().close();
});

test('from the room list to a sent message with the keyboard alone', async ({ browser, baseURL }) => {
	const ada = await signUpPerson(baseURL!, 'Ada');
	const garden = await createRoomWithMembers(baseURL!, ada, 'Garden', []);
	await createRoomWithMembers(baseURL!, ada, 'Kitchen', []);
	const page = await roomAs(browser, baseURL!, ada, garden.id);
	await roomLink(page, 'Kitchen').focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Kitchen', level: 1 })).toBeVisible();
	const composer = page.getByRole('textbox', { name: 'Message' });
	await expect(composer).toBeEnabled();
	// Past the skip link to the page, the second stop leads to the message box.
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to the message box' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(composer).toBeFocused();
	await page.keyboard.type('typed without a mouse');
	await page.keyboard.press('Enter');
	await expect(messageLog(page).getByText('typed without a mouse')).toBeVisible();
	await page.context().close();
});

test('on a phone the room has the screen, and its back link leads to the list @phone', async ({ browser, baseURL }) => {
	const ada = await signUpPerson(baseURL!, 'Ada');
	const garden = await createRoomWithMembers(baseURL!, ada, 'Garden', []);
	const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const [name, ...value] = ada.cookie.split('=');
	await context.addCookies([{ name, value: value.join('='), url: baseURL! }]);
	const page = await context.newPage();
	await page.goto(`/rooms/${garden.id}`);
	await expect(page.getByRole('heading', { name: 'Garden', level: 1 })).toBeVisible();
	await expect(sidebar(page)).toBeHidden();
	await expect(page.getByRole('textbox', { name: 'Message' })).toBeInViewport();
	await page.getByRole('link', { name: 'Back to the lobby' }).click();
	await expect(page.getByRole('list', { name: 'Rooms' }).getByRole('link', { name: /^Garden/ })).toBeVisible();
	await context.close();
});

