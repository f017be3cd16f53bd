import { expect, test } from '@playwright/test';
import { createRoomWith, messageLog, signUpInBrowser } from './support/ui.ts';

test('a message over the length limit is refused with a counter, never cut @phone', async ({ page }) => {
	await signUpInBrowser(page, 'Long Writer');
	await createRoomWith(page, 'Essays', []);
	const box = page.getByRole('textbox', { name: 'Message' });
	const send = page.getByRole('button', { name: 'Send' });
	const counter = page.getByText(/^[\d,]+ \/ 4,000$/);

	await box.fill('x'.repeat(3500));
	await expect(counter).toHaveCount(0);

	await box.fill('x'.repeat(3980));
	await expect(counter).toHaveText('3,980 / 4,000');
	await expect(box).toHaveAccessibleDescription(/Message length: 3,980 of 4,000 characters/);
	await expect(send).toBeEnabled();

	// Pasted text past the limit is kept whole: the box does not cut it, and Send says why it cannot.
	const atLimit = `${'a'.repeat(3990)}0123456789`;
	const long = `${atLimit}OVER-LIMIT`;
	await box.fill('');
	await box.focus();
	await page.keyboard.insertText(long);
	await expect(box).toHaveValue(long);
	await expect(counter).toHaveText('4,010 / 4,000');
	await expect(send).toBeDisabled();
	await expect(page.getByRole('status').filter({ hasText: 'characters over' })).toHaveText('10 characters over the 4,000-character limit. Shorten the message to send it.');
	await box.press('Enter');
	await expect(box).toHaveValue(long);
	await expect(messageLog(page).getByRole('article')).toHaveCount(0);

	// Shortened to the limit, it goes whole.
	await box.fill(atLimit);
	await expect(send).toBeEnabled();
	await box.press('Enter');
	await expect(box).toHaveValue('');
	await expect(counter).toHaveCount(0);
	const sent = messageLog(page).getByRole('article');
	await expect(sent).toContainText('a0123456789');
	// The server has it (its "Sending…" is gone), and it is the whole text.
	await expect(sent.getByText('Sending…')).toHaveCount(0, { timeout: 20_000 });
	expect((await sent.locator('.text').innerText()).trim()).toBe(atLimit);

	// Editing past the limit is refused the same way. (Up in the empty box edits it: a pointer on the actions of a message
	// taller than the list can miss them as the list settles, "Sending…" going away.)
	await box.press('ArrowUp');
	await expect(page.getByText('Editing your message')).toBeVisible();
	await box.press('End');
	await page.keyboard.insertText('!');
	await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
	await expect(page.getByRole('status').filter({ hasText: 'over the' })).toHaveText('1 character over the 4,000-character limit. Shorten the message to send it.');
});
