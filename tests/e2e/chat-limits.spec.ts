import { expect, test } from '@playwright/test';
import { startServer } from './support/server.ts';
import { createRoomWith, signUpInBrowser } from './support/ui.ts';

test('past the write limit the chat says why, keeps the messages and sends them when allowed', async ({ browser }) => {
	test.setTimeout(90_000);
	// Ten updates a minute: one every 6 s once the first ten are used.
	const server = await startServer({ SYNC_UPDATES_PER_MINUTE: '10' });
	const context = await browser.newContext({ baseURL: server.url });
	const page = await context.newPage();
	await signUpInBrowser(page, 'Quick Typist');
	await createRoomWith(page, 'Busy', []);
	const log = page.getByRole('log', { name: 'Messages' });
	const box = page.getByRole('textbox', { name: 'Message' });
	for (let i = 1; i <= 14; i++) {
		await box.fill(`note ${i}`);
		await box.press('Enter');
	}
	await expect(page.getByRole('alert')).toContainText(/sending changes too fast.*try again in \d+ s/);
	await expect(log.getByText('note 14')).toBeVisible();
	await expect(log.getByText('Sending…').first()).toBeVisible();
	// The refused ones go again on their own once the allowance refills (about 6 s; generous for a slow machine).
	await expect(log.getByText('Sending…')).toHaveCount(0, { timeout: 30_000 });
	// "Sending…" goes only when the server acknowledges storing them.
	await context.close();
	await server.stop();
});
