import { expect, test } from '@playwright/test';
import { keptForOffline, messageAction, messageLog, sendMessage, twoInARoom } from './support/ui.ts';

const messages = messageLog;
const send = sendMessage;

test('two people chat live', async ({ browser }) => {
	const { pageA, pageB, close } = await twoInARoom(browser);
	await send(pageA, 'Hi Bob!');
	await expect(messages(pageB).getByText('Hi Bob!')).toBeVisible();
	await send(pageB, 'Hello Alice, see https://parley.example/x');
	await expect(messages(pageA).getByRole('link', { name: 'https://parley.example/x' })).toHaveAttribute('rel', /noopener/);
	// Nothing is left "sending" once the server has it.
	await expect(messages(pageA).getByText('Sending…')).toHaveCount(0);
	await close();
});

test('offline: messages written without a network arrive in order when back', async ({ browser }) => {
	const { a, pageA, pageB, close } = await twoInARoom(browser, 'Plane');
	await send(pageA, 'boarding now');
	await expect(messages(pageB).getByText('boarding now')).toBeVisible();

	// The service worker has kept the room page; the document lives in IndexedDB.
	await keptForOffline(pageA);

	await a.setOffline(true);
	await expect(pageA.getByRole('status').filter({ hasText: 'Offline — messages will be sent when you reconnect' })).toBeVisible();
	for (const text of ['one', 'two', 'three']) await send(pageA, `offline ${text}`);
	await expect(messages(pageA).getByText('Sending…')).toHaveCount(3);

	// Reload with no network: history and the unsent messages are still there.
	await pageA.reload();
	await expect(messages(pageA).getByText('boarding now')).toBeVisible();
	await expect(messages(pageA).getByText('offline three')).toBeVisible();
	await expect(messages(pageA).getByText('Sending…')).toHaveCount(3);
	await expect(pageA.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();

	await a.setOffline(false);
	await expect(messages(pageB).getByText('offline three')).toBeVisible();
	const texts = await messages(pageB).locator('article .text').allInnerTexts();
	const order = ['offline one', 'offline two', 'offline three'].map((t) => texts.findIndex((x) => x.startsWith(t)));
	expect(order).toEqual([...order].sort((x, y) => x - y));
	expect(order.every((i) => i > 0)).toBe(true);
	await expect(messages(pageA).getByText('Sending…')).toHaveCount(0);
	await close();
});

test('edit, reply, react and delete', async ({ browser }) => {
	const { pageA, pageB, close } = await twoInARoom(browser, 'Edits');
	await send(pageA, 'first draft');
	const mine = messages(pageA).getByRole('article').filter({ hasText: 'first draft' });
	await messageAction(mine, 'Edit');
	await pageA.getByRole('textbox', { name: 'Message' }).fill('final text');
	await pageA.getByRole('button', { name: 'Save' }).click();
	const seen = messages(pageB).getByRole('article').filter({ hasText: 'final text' });
	await expect(seen).toContainText('(edited)');

	await messageAction(seen, 'Reply');
	await send(pageB, 'a reply');
	await expect(messages(pageA).getByRole('article').filter({ hasText: 'a reply' })).toContainText('final text');

	const original = messages(pageB).getByRole('article').filter({ hasText: 'final text' }).first();
	await original.hover();
	await original.getByRole('button', { name: 'React' }).click();
	await original.getByRole('button', { name: 'React with 🎉' }).click();
	await expect(messages(pageA).getByRole('button', { name: /^🎉 1/ })).toBeVisible();

	const target = messages(pageA).getByRole('article').filter({ hasText: 'final text' }).first();
	await messageAction(target, 'Delete');
	await pageA.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
	await expect(messages(pageB).getByText('final text', { exact: true })).toHaveCount(0);
	await expect(messages(pageB).getByRole('article').filter({ hasText: 'a reply' })).toContainText('Original message deleted');
	await close();
});

test('typing, presence and what a message cannot do', async ({ browser }) => {
	const { pageA, pageB, close } = await twoInARoom(browser, 'Typing');
	await expect(pageA.getByLabel('Who is here')).toContainText(/Bob .* is here/);
	await pageB.getByRole('textbox', { name: 'Message' }).pressSequentially('hel');
	await expect(pageA.getByText(/Bob .* is typing…/)).toBeVisible();
	await send(pageB, '<img src=x onerror="window.hacked=1"> <script>window.hacked=2</script>');
	await expect(messages(pageA).getByText('<img src=x onerror="window.hacked=1">', { exact: false })).toBeVisible();
	expect(await pageA.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
	await expect(pageA.getByText(/is typing…/)).toHaveCount(0);
	await close();
});

test('offline, the people who were here show as away, not as gone; back online, as here', async ({ browser }) => {
	const { a, pageA, close } = await twoInARoom(browser, 'Away');
	const presence = pageA.getByLabel('Who is here');
	await expect(presence).toContainText(/Bob .* is here/);
	await a.setOffline(true);
	await expect(presence).toContainText(/Away: Bob/);
	await expect(presence).not.toContainText('Nobody else is here');
	await a.setOffline(false);
	await expect(presence).toContainText(/Bob .* is here/);
	await close();
});

test('unread messages are counted in the lobby until the room is opened', async ({ browser }) => {
	const { pageA, pageB, close } = await twoInARoom(browser, 'Unread');
	await pageB.getByRole('link', { name: 'Back to the lobby' }).click();
	await send(pageA, 'are you there?');
	await send(pageA, 'hello?');
	const room = pageB.getByRole('link', { name: /Unread/ });
	await expect(room.getByLabel('2 unread')).toBeVisible();
	await room.click();
	await expect(messages(pageB).getByText('hello?')).toBeVisible();
	await pageB.waitForTimeout(1200);
	await pageB.getByRole('link', { name: 'Back to the lobby' }).click();
	await expect(pageB.getByRole('link', { name: /Unread/ })).toBeVisible();
	await expect(pageB.getByRole('link', { name: /Unread/ }).getByLabel(/unread/)).toHaveCount(0);
	await close();
});
