import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { call, createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { pushDelivery } from './support/push-delivery.ts';
import { lobbyAs, messageAction, messageLog, roomAs, signedInContext } from './support/ui.ts';

const listbox = (page: Page) => page.getByRole('listbox', { name: 'People to mention' });
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });

test('a mention chosen by keyboard reaches the person: highlighted for them, counted apart in their lobby @phone', async ({ browser, baseURL }) => {
	const [ann, boris, bogdan] = await Promise.all(['Ann', 'Борис', 'Богдан'].map((name) => signUpPerson(baseURL!, name)));
	const room = await createRoomWithMembers(baseURL!, ann, 'Планёрка', [boris, bogdan]);
	const page = await roomAs(browser, baseURL!, ann, room.id);
	const box = composer(page);

	// A Cyrillic name typed in lower case finds the capitalised one; the arrow keys move, Enter chooses.
	await box.click();
	await page.keyboard.type('Hi @бо');
	await expect(listbox(page)).toBeVisible();
	await expect(listbox(page).getByRole('option')).toHaveText([bogdan.name, boris.name].map((name) => new RegExp(name)));
	await expect(listbox(page).getByRole('option', { name: bogdan.name })).toHaveAttribute('aria-selected', 'true');
	await expect(box).toHaveAttribute('aria-controls', await listbox(page).getAttribute('id') ?? 'missing');

	const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
	expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);

	await page.keyboard.press('ArrowDown');
	await expect(listbox(page).getByRole('option', { name: boris.name })).toHaveAttribute('aria-selected', 'true');
	await expect(box).toHaveAttribute('aria-activedescendant', (await listbox(page).getByRole('option', { name: boris.name }).getAttribute('id'))!);
	await page.keyboard.press('Enter');
	await expect(listbox(page)).toBeHidden();
	await expect(box).toHaveValue(`Hi @${boris.name} `);

	// Escape closes the list and keeps what was typed; Tab chooses too.
	await page.keyboard.type('and @бог');
	await expect(listbox(page).getByRole('option')).toHaveCount(1);
	await page.keyboard.press('Escape');
	await expect(listbox(page)).toBeHidden();
	await expect(box).toHaveValue(`Hi @${boris.name} and @бог`);
	// Dismissed for that "@": typing on does not bring it back; a new "@" does.
	await page.keyboard.type('д');
	await expect(listbox(page)).toBeHidden();
	for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace');
	await page.keyboard.type('@БОГ');
	await expect(listbox(page).getByRole('option', { name: bogdan.name })).toBeVisible();
	await page.keyboard.press('Tab');
	await expect(box).toHaveValue(`Hi @${boris.name} and @${bogdan.name} `);
	await expect(box).toBeFocused();
	await page.keyboard.type('lunch?');
	await page.keyboard.press('Enter');
	await expect(box).toHaveValue('');

	const sent = messageLog(page).getByRole('article');
	await expect(sent).toContainText(`Hi @${boris.name} and @${bogdan.name} lunch?`);
	await expect(sent.getByText(`@${boris.name}`, { exact: true })).toBeVisible();

	// Борис: the room in the lobby says one message is unread and that it mentions him.
	const lobby = await lobbyAs(browser, baseURL!, boris);
	const link = lobby.page.getByRole('link', { name: /Планёрка/ });
	await expect(link.getByLabel('1 mention of you')).toHaveText('@1', { timeout: 15_000 });
	await expect(link.getByLabel('1 unread')).toBeVisible();

	// In the room the message is marked as mentioning him, his name shown as it is now.
	expect((await call(baseURL!, boris, 'POST', '/api/auth/update-user', { name: 'Борис Н.' })).status).toBe(200);
	await link.click();
	await expect(lobby.page.getByRole('heading', { name: 'Планёрка' })).toBeVisible();
	const mentioned = messageLog(lobby.page).getByRole('article', { name: /Mentions you/ });
	await expect(mentioned).toBeVisible();
	await expect(mentioned.getByText('@Борис Н.', { exact: true })).toBeVisible();

	// Read now: back in the lobby, no badge is left.
	const counts = async () => (await call<{ rooms: { id: string; unread: number; mentions: number }[] }>(baseURL!, boris, 'GET', '/api/rooms')).body.rooms.find((r) => r.id === room.id);
	await expect.poll(counts, { timeout: 15_000 }).toMatchObject({ unread: 0, mentions: 0 });
	await lobby.page.getByRole('link', { name: 'Back to the lobby' }).click();
	await expect(lobby.page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(lobby.page.getByRole('link', { name: /Планёрка/ }).getByLabel(/mention of you/)).toHaveCount(0, { timeout: 15_000 });
});

test('only other members of the room are offered to mention, and an edited message keeps its mentions', async ({ browser, baseURL }) => {
	const [ann, bo] = await Promise.all(['Ann', 'Bo'].map((name) => signUpPerson(baseURL!, name)));
	await signUpPerson(baseURL!, 'Boris Outside');
	const room = await createRoomWithMembers(baseURL!, ann, 'Pair', [bo]);
	const page = await roomAs(browser, baseURL!, ann, room.id);
	const box = composer(page);
	await box.click();
	// Nor can one mention oneself.
	await page.keyboard.type('@an');
	await expect(listbox(page)).toBeHidden();
	await box.fill('');
	await page.keyboard.type('@bo');
	await expect(listbox(page).getByRole('option')).toHaveText([new RegExp(bo.name)]);
	await page.keyboard.press('Enter');
	await page.keyboard.type('hi');
	await page.keyboard.press('Enter');
	await expect(box).toHaveValue('');

	const sent = messageLog(page).getByRole('article');
	await expect(sent.getByText(`@${bo.name}`, { exact: true })).toBeVisible();
	await messageAction(sent, 'Edit');
	await expect(box).toHaveValue(`@${bo.name} hi`);
	await box.press('End');
	await page.keyboard.type(' again');
	await box.press('Enter');
	await expect(sent).toContainText('(edited)');
	await expect(sent).toContainText(`@${bo.name} hi again`);
	await expect(sent.getByText(`@${bo.name}`, { exact: true })).toBeVisible();
	const mentions = async () => (await call<{ rooms: { id: string; mentions: number }[] }>(baseURL!, bo, 'GET', '/api/rooms')).body.rooms.find((r) => r.id === room.id)?.mentions;
	await expect.poll(mentions, { timeout: 15_000 }).toBe(1);
});

test('the notification level of a room is kept for the person', async ({ browser, baseURL }) => {
	const [ann, bo] = await Promise.all(['Ann', 'Bo'].map((name) => signUpPerson(baseURL!, name)));
	const room = await createRoomWithMembers(baseURL!, ann, 'Quiet room', [bo]);
	const { page } = await lobbyAs(browser, baseURL!, bo);
	await page.goto(`${baseURL}/rooms/${room.id}/settings`);
	const levels = page.getByRole('radiogroup', { name: 'Notifications' });
	await expect(levels.getByRole('radio', { name: 'All messages' })).toBeChecked();
	await levels.getByRole('radio', { name: 'Mentions of me only' }).check();
	await expect(page.getByRole('status')).toHaveText('Notifications for this room: Mentions of me only.');
	await page.reload();
	await expect(page.getByRole('radiogroup', { name: 'Notifications' }).getByRole('radio', { name: 'Mentions of me only' })).toBeChecked();
	expect((await call<{ myNotifications: string }>(baseURL!, bo, 'GET', `/api/rooms/${room.id}`)).body.myNotifications).toBe('mentions');
	// Ann's own level is hers.
	expect((await call<{ myNotifications: string }>(baseURL!, ann, 'GET', `/api/rooms/${room.id}`)).body.myNotifications).toBe('all');
	expect((await call(baseURL!, bo, 'PUT', `/api/rooms/${room.id}/notifications`, { level: 'loud' })).status).toBe(400);
});

test('a mention pushed to a device says so', async ({ browser, baseURL }) => {
	const bo = await signUpPerson(baseURL!, 'Bo');
	const context = await signedInContext(browser, baseURL!, bo);
	await context.grantPermissions(['notifications'], { origin: baseURL });
	const page = await context.newPage();
	await page.goto(`${baseURL}/`);
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
	const push = await pushDelivery(context, page, baseURL!);
	// As push.ts sends it (src/lib/server/push.test.ts checks who gets it): the mention by name, even to a device without message notifications.
	await push.deliver({ type: 'message', roomId: 'r1', roomName: 'Team', authorName: 'Ann', text: '@Bo lunch?', count: 1, mention: true });
	const bodies = () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => `${n.title}: ${n.body}`));
	await expect.poll(bodies).toEqual(['Team: Ann mentioned you: @Bo lunch?']);
	await context.close();
});
