import { expect, test } from '@playwright/test';
import { fillSignUp, signUpInBrowser } from './support/ui.ts';
import { newPerson } from './support/users.ts';

test('invite link: a new person signs up through it, is seen live, made admin, and leaves', async ({ browser }) => {
	const a = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
	const b = await browser.newContext();
	const pageA = await a.newPage();
	const pageB = await b.newPage();

	await signUpInBrowser(pageA, 'Alice');
	await pageA.getByRole('button', { name: 'New room' }).click();
	await pageA.getByRole('textbox', { name: 'Room name' }).fill('Book club');
	await pageA.getByRole('button', { name: 'Create' }).click();
	await expect(pageA.getByRole('heading', { name: 'Book club' })).toBeVisible();
	const roomUrl = pageA.url();

	await pageA.getByRole('link', { name: 'Room settings' }).click();
	await pageA.getByRole('button', { name: 'Create invite link' }).click();
	const link = await pageA.getByRole('textbox', { name: 'Invite link' }).inputValue();
	expect(link).toMatch(/\/invite\/[\w-]{22,}$/);
	await pageA.getByRole('button', { name: 'Copy link' }).click();
	await expect(pageA.getByRole('button', { name: 'Copied' })).toBeVisible();
	expect(await pageA.evaluate(() => navigator.clipboard.readText())).toBe(link);

	// B is new: the invite page sends them through sign-up and back, straight into the room.
	await pageB.goto(link);
	await pageB.getByRole('link', { name: 'Create an account' }).click();
	const bob = { ...newPerson('Bob') };
	await fillSignUp(pageB, bob);
	await expect(pageB).toHaveURL(roomUrl);
	await expect(pageB.getByRole('heading', { name: 'Book club' })).toBeVisible();

	// A sees B in the member list without reloading.
	const members = pageA.getByRole('list', { name: 'Members' });
	await expect(members).toContainText(bob.name);

	await pageA.getByRole('combobox', { name: `Role of ${bob.name}` }).selectOption('admin');
	await expect(pageA.getByRole('status')).toContainText(`${bob.name} is now an admin`);

	// B's view follows: as an admin they can now manage invites.
	await pageB.getByRole('link', { name: 'Room settings' }).click();
	await expect(pageB.getByRole('button', { name: 'Create invite link' })).toBeVisible();
	await pageB.getByRole('button', { name: 'Leave room' }).click();
	await pageB.getByRole('dialog').getByRole('button', { name: 'Leave room' }).click();
	await expect(pageB.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(pageB.getByRole('list', { name: 'Rooms' })).toHaveCount(0);

	await expect(members).not.toContainText(bob.name);
	await a.close();
	await b.close();
});

test('being added to or removed from a room shows up at once', async ({ browser }) => {
	const a = await browser.newContext();
	const b = await browser.newContext();
	const pageA = await a.newPage();
	const pageB = await b.newPage();
	const alice = await signUpInBrowser(pageA, 'Alice');
	const bob = await signUpInBrowser(pageB, 'Bob');

	// A creates a room with B, finding B by exact email.
	await pageA.getByRole('button', { name: 'New room' }).click();
	await pageA.getByRole('textbox', { name: 'Room name' }).fill('Weekend plans');
	await pageA.getByRole('searchbox', { name: 'Add people' }).fill(bob.email);
	await pageA.getByRole('button', { name: `Add ${bob.name}` }).click();
	await expect(pageA.getByRole('list', { name: 'People to add' })).toContainText(bob.name);
	await pageA.getByRole('button', { name: 'Create' }).click();
	await expect(pageA.getByRole('heading', { name: 'Weekend plans' })).toBeVisible();

	// B's lobby, open all along, lists the room.
	await expect(pageB.getByRole('list', { name: 'Rooms' })).toContainText('Weekend plans');
	await pageB.getByRole('link', { name: /Weekend plans/ }).click();
	await expect(pageB.getByRole('heading', { name: 'Weekend plans' })).toBeVisible();

	// A renames the room and removes B; B, looking at it, is told and taken to the lobby.
	await pageA.getByRole('link', { name: 'Room settings' }).click();
	await pageA.getByRole('textbox', { name: 'Room name' }).fill('Weekend trip');
	await pageA.getByRole('button', { name: 'Save' }).click();
	await expect(pageB.getByRole('heading', { name: 'Weekend trip' })).toBeVisible();

	await pageA.getByRole('button', { name: `Remove ${bob.name}` }).click();
	await pageA.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
	await expect(pageB.getByRole('status').filter({ hasText: 'You are no longer a member of that room.' })).toBeVisible();
	await expect(pageB.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(pageA.getByRole('list', { name: 'Members' })).not.toContainText(bob.name);
	expect(alice.name).not.toBe(bob.name);
	await a.close();
	await b.close();
});
