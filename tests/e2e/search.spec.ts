import { expect, test, type Page } from '@playwright/test';
import { waitFor } from '../../sync/test-harness.ts';
import { call, createRoomWithMembers, signUpPerson, type Person } from './support/api-client.ts';
import { syncWriter } from './support/sync-writer.ts';
import { keptForOffline, lobbyAs, messageLog } from './support/ui.ts';


/** Writes messages to a room as `author` over the sync protocol, and waits until the server stored them. */
async function write(baseURL: string, roomId: string, author: Person, texts: string[]) {
	const writer = await syncWriter(baseURL.replace('http', 'ws') + '/sync', roomId, author);
	for (const text of texts) writer.write(text);
	await waitFor(() => writer.acked.size === texts.length, 10_000, 'messages stored');
	writer.close();
}

const results = (page: Page) => page.getByRole('list', { name: 'Search results' });

test('search: a Cyrillic name typed in lower case finds the capitalised one, online from the server and offline on the device; a result opens the room at the message', async ({ browser, baseURL }) => {
	const [olga, ivan] = await Promise.all([signUpPerson(baseURL!, 'Ольга'), signUpPerson(baseURL!, 'Иван')]);
	const room = await createRoomWithMembers(baseURL!, olga, 'Друзья', [ivan]);
	// The match comes first, then enough messages that the room opens far below it.
	await write(baseURL!, room.id, olga, ['Привет! Это Ольга, встреча в пятницу', ...Array.from({ length: 60 }, (_, i) => `message number ${i}`)]);

	// Online, the room not on this device yet: the server's index answers.
	const { context, page } = await lobbyAs(browser, baseURL!, ivan);
	await page.getByRole('searchbox', { name: 'Search messages' }).fill('ольга');
	const hit = results(page).getByRole('link').filter({ hasText: 'встреча в пятницу' });
	await expect(hit).toHaveCount(1);
	await expect(hit).toContainText('Друзья');
	await expect(hit).toContainText('Ольга');
	await expect(hit.locator('mark')).toHaveText('Ольга');
	await expect(page.getByRole('status').filter({ hasText: '1 message found' })).toBeVisible();

	await hit.click();
	await expect(page).toHaveURL(new RegExp(`/rooms/${room.id}#message=`));
	const linked = messageLog(page).getByRole('article').filter({ hasText: 'встреча в пятницу' });
	await expect(linked).toBeInViewport();
	await expect(linked).toHaveAttribute('aria-current', 'true');
	await expect(messageLog(page).getByText('message number 59')).not.toBeInViewport();

	// Offline, after the room was opened once: the device's copy answers, and says it may be incomplete.
	await keptForOffline(page);
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Search messages' }).click();
	const dialog = page.getByRole('dialog', { name: 'Search' });
	await dialog.getByRole('searchbox', { name: 'Search messages' }).fill('ОЛЬГ');
	const offlineHit = results(page).getByRole('link').filter({ hasText: 'встреча в пятницу' });
	await expect(offlineHit).toHaveCount(1);
	await expect(offlineHit).toContainText('Друзья');
	await expect(dialog.getByText('Offline: only the messages on this device were searched, so results may be incomplete.')).toBeVisible();
	// Every word of the query must begin a word of the message.
	await dialog.getByRole('searchbox', { name: 'Search messages' }).fill('numb 42');
	await expect(results(page).getByRole('link')).toHaveCount(1);
	await expect(results(page).getByRole('link')).toContainText('message number 42');
	await results(page).getByRole('link').click();
	await expect(dialog).toBeHidden();
	const second = messageLog(page).getByRole('article').filter({ hasText: 'message number 42' });
	await expect(second).toBeInViewport();
	await expect(second).toHaveAttribute('aria-current', 'true');
	await context.close();
});

test('GET /api/search: only rooms the person is a member of now; a clear 400 for a bad query; 401 signed out', async ({ baseURL }) => {
	const [ann, bea, cyd] = await Promise.all(['Ann', 'Bea', 'Cyd'].map((name) => signUpPerson(baseURL!, name)));
	const room = await createRoomWithMembers(baseURL!, ann, 'Plans', [bea]);
	const word = `zebra${Date.now()}`;
	await write(baseURL!, room.id, ann, [`the ${word} meets at noon`]);
	const search = (who: Person | null, q: string) => call<{ hits: { roomId: string; roomName: string; authorName: string; snippet: string }[]; limit: number; error?: string; field?: string }>(baseURL!, who, 'GET', `/api/search?q=${encodeURIComponent(q)}`);

	await expect.poll(async () => (await search(bea, word)).body.hits.length).toBe(1);
	const found = await search(bea, word.toUpperCase());
	expect(found.status).toBe(200);
	expect(found.body.hits[0]).toMatchObject({ roomId: room.id, roomName: 'Plans', authorName: ann.name, snippet: `the ${word} meets at noon` });
	expect((await search(cyd, word)).body.hits).toEqual([]);

	expect((await call(baseURL!, ann, 'DELETE', `/api/rooms/${room.id}/members/${bea.id}`)).status).toBe(204);
	expect((await search(bea, word)).body.hits).toEqual([]);

	for (const [q, error] of [
		['', 'Type something to search for: ?q='],
		['!!!', 'Search needs at least one letter or digit'],
		['x'.repeat(201), 'The search can be at most 200 characters']
	]) {
		const bad = await search(ann, q);
		expect(bad.status, JSON.stringify(q)).toBe(400);
		expect(bad.body).toEqual({ error, field: 'q' });
	}
	expect((await search(null, word)).status).toBe(401);
});
