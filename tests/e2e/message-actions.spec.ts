import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { longPress, messageLog, messageSheet, roomAs, sendMessage } from './support/ui.ts';

/**
 * A room where Bob wrote two messages and then Ada two: two groups. Returns Ada's page (she owns the room, so
 * she may delete Bob's messages too).
 */
async function groupedTalk(browser: Browser, baseURL: string) {
	const ada = await signUpPerson(baseURL, 'Ada Lovelace');
	const bob = await signUpPerson(baseURL, 'Bob Stone');
	const room = await createRoomWithMembers(baseURL, ada, 'Review', [bob]);
	const bobPage = await roomAs(browser, baseURL, bob, room.id);
	await sendMessage(bobPage, 'Morning!');
	await sendMessage(bobPage, 'Is the review today?');
	await expect(messageLog(bobPage).getByText('Sending…')).toHaveCount(0);
	await bobPage.context().close();
	const page = await roomAs(browser, baseURL, ada, room.id);
	const log = messageLog(page);
	await expect(log.getByRole('article')).toHaveCount(2);
	await sendMessage(page, 'Yes, at three');
	await sendMessage(page, 'Bring the slides');
	await expect(log.getByRole('article')).toHaveCount(4);
	const message = (text: string) => log.getByRole('article').filter({ hasText: text });
	return { page, log, message };
}

/** Whether the element can be seen: not hidden, and neither it nor a parent fully transparent. */
const seen = (element: Locator) => element.evaluate((node) => node.checkVisibility({ opacityProperty: true, visibilityProperty: true }));

async function expectNoViolations(page: Page) {
	const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
	expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
}

test('a group of messages by one person shows their avatar and name once', async ({ browser, baseURL }) => {
	const { page, log, message } = await groupedTalk(browser, baseURL!);
	// Initials ("B" and the first letter of the name's suffix) on the first message of each group only.
	const avatar = /^[A-Z0-9]{2}$/;
	await expect(log.getByText(avatar)).toHaveCount(2);
	await expect(message('Morning!').getByText(avatar)).toHaveText(/^B/);
	await expect(message('Morning!')).toContainText('Bob Stone');
	await expect(message('Is the review today?')).not.toContainText('Bob Stone');
	await expect(message('Is the review today?').getByText(avatar)).toHaveCount(0);
	await expect(message('Yes, at three').getByText(avatar)).toHaveText(/^A/);
	await expect(message('Bring the slides').getByText(avatar)).toHaveCount(0);
	await page.context().close();
});

test('with a mouse, a message shows its actions as named icon buttons on hover, and Reply works', async ({ browser, baseURL, hasTouch }) => {
	test.skip(hasTouch, 'a touch screen has no hover');
	const { page, message } = await groupedTalk(browser, baseURL!);
	const morning = message('Morning!');
	const reply = morning.getByRole('button', { name: 'Reply', exact: true });
	await page.mouse.move(5, 5);
	await expect.poll(() => seen(reply)).toBe(false);

	await morning.hover();
	await expect.poll(() => seen(reply)).toBe(true);
	for (const name of ['React', 'Reply', 'Delete', 'Message actions']) {
		await expect(morning.getByRole('button', { name, exact: true })).toHaveAttribute('title', name);
	}
	// Edit is for one's own messages.
	await expect(morning.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
	await message('Bring the slides').hover();
	await expect(message('Bring the slides').getByRole('button', { name: 'Edit', exact: true })).toHaveAttribute('title', 'Edit');

	await morning.hover();
	await reply.click();
	await expect(page.getByText(/^Replying to Bob Stone \w+: Morning!$/)).toBeVisible();
	await sendMessage(page, 'Morning, Bob');
	await expect(message('Morning, Bob').getByText('Morning!')).toBeVisible();
	await page.context().close();
});

test('from the keyboard alone, a message’s actions are one Tab stop away, and a reply can be written @phone', async ({ browser, baseURL }) => {
	const { page, message } = await groupedTalk(browser, baseURL!);
	const box = page.getByRole('textbox', { name: 'Message' });
	const target = message('Is the review today?');
	const actions = target.getByRole('button', { name: 'Message actions' });
	const prior = message('Morning!').getByRole('button', { name: 'Message actions' });

	// Tab goes from one message's actions to the next message's: one stop each.
	await prior.focus();
	await page.keyboard.press('Tab');
	await expect(actions).toBeFocused();
	await expect.poll(() => seen(actions)).toBe(true);
	expect((await actions.boundingBox())!.width).toBeGreaterThan(20);

	// Escape closes the sheet and gives focus back.
	await page.keyboard.press('Enter');
	await expect(messageSheet(page)).toBeVisible();
	await expect(messageSheet(page).getByRole('button', { name: 'Reply' })).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(messageSheet(page)).toBeHidden();
	await expect(actions).toBeFocused();

	// Arrow keys move in the sheet as in a menu; Copy text copies the message.
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.keyboard.press('Enter');
	await expect(messageSheet(page).getByRole('button', { name: 'Reply' })).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await expect(messageSheet(page).getByRole('button', { name: 'Copy text' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
	await expect(actions).toBeFocused();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Is the review today?');
	await page.keyboard.press('Enter');
	await expect(messageSheet(page).getByRole('button', { name: 'Reply' })).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowUp');
	await expect(messageSheet(page).getByRole('button', { name: 'Reply' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(messageSheet(page)).toBeHidden();
	await expect(page.getByText(/^Replying to Bob Stone \w+: Is the review today\?$/)).toBeVisible();
	await expect(box).toBeFocused();
	await page.keyboard.type('It is');
	await page.keyboard.press('Enter');
	await expect(message('It is').getByText('Is the review today?')).toBeVisible();
	await page.context().close();
});

test('on a touch screen, no buttons sit under messages, a tap opens nothing, and a long press opens the sheet: reply, react, edit and delete @phone', async ({ browser, baseURL, hasTouch }) => {
	test.skip(!hasTouch, 'long press is for touch screens');
	const { page, log, message } = await groupedTalk(browser, baseURL!);
	expect(await page.evaluate(() => matchMedia('(hover: none)').matches)).toBe(true);
	await expect(log.getByRole('button', { name: /^(Reply|React|Edit|Delete)$/ })).toHaveCount(0);
	// "Message actions" is there for screen readers and keyboards, out of sight.
	for (const button of await log.getByRole('button', { name: 'Message actions' }).all()) {
		expect((await button.boundingBox())!.width).toBeLessThanOrEqual(1);
	}

	// A tap on a message is only a tap.
	const morning = message('Morning!').first();
	const box = (await morning.boundingBox())!;
	await page.touchscreen.tap(box.x + 24, box.y + box.height / 2);
	await expect(messageSheet(page)).toBeHidden();
	await expect(log.getByRole('button', { name: /^(Reply|React|Edit|Delete)$/ })).toHaveCount(0);
	await expect(page.getByRole('dialog')).toHaveCount(0);

	// A long press: the sheet for that message, with what I may do to someone else's message.
	await longPress(morning);
	const sheet = messageSheet(page);
	await expect(sheet).toContainText(/Message by Bob Stone \w+/);
	await expect(sheet.getByRole('button', { name: 'Edit' })).toHaveCount(0);
	await expect(sheet.getByRole('button', { name: 'Delete' })).toBeVisible();
	await expect(sheet.getByRole('group', { name: 'Pick a reaction' }).getByRole('button')).toHaveCount(6);
	await sheet.getByRole('button', { name: 'Reply' }).click();
	await expect(sheet).toBeHidden();
	await expect(page.getByText(/^Replying to Bob Stone \w+: Morning!$/)).toBeVisible();
	await sendMessage(page, 'Morning to you');
	await expect(message('Morning to you').getByText('Morning!')).toBeVisible();

	await longPress(morning);
	await sheet.getByRole('button', { name: 'React with 🎉' }).click();
	await expect(morning.getByRole('button', { name: /^🎉 1/ })).toBeVisible();

	const mine = message('Bring the slides');
	await longPress(mine);
	await sheet.getByRole('button', { name: 'Edit' }).click();
	await expect(page.getByText('Editing your message')).toBeVisible();
	await page.getByRole('textbox', { name: 'Message' }).fill('Bring the slides, please');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(message('Bring the slides, please')).toContainText('(edited)');

	await longPress(message('Yes, at three'));
	await sheet.getByRole('button', { name: 'Delete' }).click();
	const confirm = page.getByRole('dialog', { name: 'Delete this message?' });
	await expect(confirm).toBeVisible();
	await confirm.getByRole('button', { name: 'Delete' }).click();
	await expect(message('Yes, at three')).toHaveCount(0);
	await page.context().close();
});

for (const colorScheme of ['light', 'dark'] as const) {
	test(`a room with grouped messages and the action sheet open has no accessibility violations, ${colorScheme} @phone`, async ({ browser, baseURL }) => {
		const { page, message } = await groupedTalk(browser, baseURL!);
		await page.emulateMedia({ colorScheme });
		await expectNoViolations(page);
		await message('Morning!').getByRole('button', { name: 'Message actions' }).focus();
		await page.keyboard.press('Enter');
		await expect(messageSheet(page)).toBeVisible();
		await expectNoViolations(page);
		await page.context().close();
	});
}
