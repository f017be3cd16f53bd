import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { roomAs } from './support/ui.ts';

// Ctrl+K from anywhere: type part of a room's name (any script, any case), choose with the arrows, Enter goes there.

test('Ctrl+K finds a room by part of its name in lower case, and Enter opens it', async ({ browser, baseURL }) => {
	const ada = await signUpPerson(baseURL!, 'Ada');
	const garden = await createRoomWithMembers(baseURL!, ada, 'Garden club', []);
	await createRoomWithMembers(baseURL!, ada, 'Борщ и компания', []);
	await createRoomWithMembers(baseURL!, ada, 'Борис и друзья', []);
	const page = await roomAs(browser, baseURL!, ada, garden.id);
	await expect(page.getByRole('heading', { name: 'Garden club', level: 1 })).toBeVisible();

	await page.keyboard.press('Control+k');
	const dialog = page.getByRole('dialog', { name: 'Go to a room' });
	await expect(dialog).toBeVisible();
	const box = dialog.getByRole('combobox', { name: 'Room or person' });
	await expect(box).toBeFocused();
	await box.fill('бор');
	const options = dialog.getByRole('option');
	// Most recently active first.
	await expect(options).toHaveText(['Борис и друзья', 'Борщ и компания']);
	await expect(options.first()).toHaveAttribute('aria-selected', 'true');
	const axe = await new AxeBuilder({ page }).include('dialog').withTags(['wcag2a', 'wcag2aa']).analyze();
	expect(axe.violations).toEqual([]);
	await box.press('ArrowDown');
	await expect(dialog.getByRole('option', { name: 'Борщ и компания' })).toHaveAttribute('aria-selected', 'true');
	await box.press('Enter');
	await expect(page.getByRole('heading', { name: 'Борщ и компания', level: 1 })).toBeVisible();
	await expect(dialog).toBeHidden();

	// Escape closes it and leaves the page as it was; nothing matching says so.
	await page.keyboard.press('Control+k');
	await expect(dialog).toBeVisible();
	await box.fill('nothing like this');
	await expect(dialog.getByText('No room matches.')).toBeVisible();
	await box.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(page.getByRole('heading', { name: 'Борщ и компания', level: 1 })).toBeVisible();
	await page.context().close();
});
