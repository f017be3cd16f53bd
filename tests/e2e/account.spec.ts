import { expect, test, type Page } from '@playwright/test';
import { signUpPerson } from './support/api-client.ts';
import { messageLog, sendMessage, signUpInBrowser, twoInARoom } from './support/ui.ts';

test.beforeAll(async ({ baseURL }) => {
	// The first account on a fresh server is its administrator, who may not delete theirs: it is none of the people below.
	await signUpPerson(baseURL!, 'First Account');
});

/** Opens the account page from the header (the person's name), as a person finds it. */
async function openAccount(page: Page, name: string) {
	await page.getByRole('link', { name, exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
}

async function signIn(page: Page, email: string, password: string) {
	await page.goto('/signin');
	await expect(page.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
	await page.getByRole('textbox', { name: 'Email' }).fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a new name shows in the room, for the others too, without a reload', async ({ browser }) => {
	const { pageA, pageB, first, close } = await twoInARoom(browser, 'Renames');
	await sendMessage(pageA, 'Written before the rename');
	await expect(messageLog(pageB).getByRole('article', { name: new RegExp(`^${first.name}`) })).toBeVisible();

	await openAccount(pageA, first.name);
	const nameBox = pageA.getByRole('textbox', { name: 'Name' });
	// Sign-up's rules: a blank name is refused, and the field says so.
	await nameBox.fill('   ');
	await pageA.getByRole('button', { name: 'Save name' }).click();
	await expect(pageA.getByText('Enter your name')).toBeVisible();
	await expect(nameBox).toHaveAttribute('aria-invalid', 'true');
	await nameBox.fill('  Alicia Renamed ');
	await pageA.getByRole('button', { name: 'Save name' }).click();
	await expect(pageA.getByRole('status').filter({ hasText: 'Name saved' })).toBeVisible();
	await expect(pageA.getByTestId('user-name')).toHaveText('Alicia Renamed');

	// Bob's open room follows at once.
	await expect(messageLog(pageB).getByRole('article', { name: /^Alicia Renamed/ })).toBeVisible();
	await expect(messageLog(pageB).getByText(first.name)).toHaveCount(0);
	await close();
});

test('a changed password signs in, the old one does not; the email changes too', async ({ page }) => {
	const person = await signUpInBrowser(page, 'Pat Password');
	await openAccount(page, person.name);

	await page.getByLabel('Current password').fill('not my password');
	await page.getByLabel('New password').fill('a brand new passphrase');
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByText('The current password is not right.')).toBeVisible();

	await page.getByLabel('Current password').fill(person.password);
	await page.getByRole('button', { name: 'Change password' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Password changed. Your other devices are signed out.' })).toBeVisible();
	// This device stays signed in.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();

	const newEmail = `renamed-${person.email}`;
	await page.getByRole('textbox', { name: 'Email' }).fill(newEmail);
	await page.getByRole('button', { name: 'Change email' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Email changed' })).toBeVisible();

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
	await signIn(page, newEmail, person.password);
	await expect(page.getByText('Wrong email or password.')).toBeVisible();
	await signIn(page, person.email, 'a brand new passphrase');
	await expect(page.getByText('Wrong email or password.')).toBeVisible();
	await signIn(page, newEmail, 'a brand new passphrase');
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
});

test('another device is listed and signed out from the first; its open page loses the session @phone', async ({ browser, page }) => {
	const person = await signUpInBrowser(page, 'Dev Devices');
	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await signIn(otherPage, person.email, person.password);
	await expect(otherPage.getByRole('heading', { name: 'Your rooms' })).toBeVisible();

	await openAccount(page, person.name);
	const devices = page.getByRole('list', { name: 'Signed-in devices' });
	await expect(devices.getByRole('listitem')).toHaveCount(2);
	await expect(devices.getByRole('listitem').first()).toContainText('This device');
	await expect(devices.getByRole('listitem').first()).toContainText(/Chrome on (Linux|Windows)/);

	await devices.getByRole('button', { name: /^Sign out Chrome on (Linux|Windows), last active / }).click();
	await expect(page.getByRole('status').filter({ hasText: /Chrome on (Linux|Windows) is signed out\./ })).toBeVisible();
	await expect(devices.getByRole('listitem')).toHaveCount(1);
	await expect(page.getByText('No other device is signed in.')).toBeVisible();

	// The other device's lobby goes to sign-in by itself: its events stream ended with the session.
	await expect(otherPage.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible({ timeout: 20_000 });
	// And this device is still signed in.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
	await other.close();
});

test('deleting the account takes the password; the others then see “Deleted user” on the old message, and it cannot sign in', async ({ browser }) => {
	const { pageA, pageB, first, close } = await twoInARoom(browser, 'Farewell');
	await sendMessage(pageA, 'Remember me');
	await expect(messageLog(pageB).getByRole('article', { name: new RegExp(`^${first.name}`) })).toBeVisible();

	await openAccount(pageA, first.name);
	await expect(pageA.getByText('Your messages stay in the rooms, shown as written by “Deleted user”.', { exact: false })).toBeVisible();
	await pageA.getByRole('button', { name: 'Delete my account…' }).click();
	const password = pageA.getByLabel('Your password, to confirm');
	await expect(password).toBeFocused();
	const confirm = pageA.getByRole('button', { name: 'Delete my account for good' });
	await expect(confirm).toBeDisabled();
	await password.fill('not my password');
	await confirm.click();
	await expect(pageA.getByRole('alert').filter({ hasText: 'The current password is not right.' })).toBeVisible();

	await password.fill(first.password);
	await confirm.click();
	await expect(pageA.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
	await expect(pageA.getByRole('status').filter({ hasText: 'Your account was deleted.' })).toBeVisible();

	// Bob's open room: the message stays, by "Deleted user", and she is no longer a member.
	const message = messageLog(pageB).getByRole('article', { name: /^Deleted user/ });
	await expect(message).toBeVisible();
	await expect(message).toContainText('Remember me');
	await expect(pageB.getByText('1 member')).toBeVisible();

	await signIn(pageA, first.email, first.password);
	await expect(pageA.getByText('Wrong email or password.')).toBeVisible();
	await close();
});
