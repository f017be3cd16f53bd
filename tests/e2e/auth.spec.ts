import { expect, test, type Page } from '@playwright/test';
import { newPerson } from './support/users.ts';

async function signUp(page: Page, person: ReturnType<typeof newPerson>, path = '/signup') {
	await page.goto(path);
	await page.getByRole('textbox', { name: 'Name' }).fill(person.name);
	await page.getByRole('textbox', { name: 'Email' }).fill(person.email);
	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Sign up' }).click();
}

test('sign up, reload, sign out, wrong password, sign in @phone', async ({ page }) => {
	const person = newPerson();

	await page.goto('/');
	await expect(page).toHaveURL(/\/signin\?next=%2F$/);
	await page.getByRole('link', { name: 'Create an account' }).click();

	await signUp(page, person);
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('banner')).toContainText(person.name);
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();

	await page.reload();
	await expect(page.getByRole('banner')).toContainText(person.name);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/signin/);
	await page.goto('/');
	await expect(page).toHaveURL(/\/signin/);

	await page.getByRole('textbox', { name: 'Email' }).fill(person.email);
	await page.getByLabel('Password').fill('not my password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
	await expect(page).toHaveURL(/\/signin/);

	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('banner')).toContainText(person.name);
});

test('an email already used is shown next to the email field', async ({ page, browser }) => {
	const person = newPerson();
	await signUp(page, person);
	await expect(page.getByRole('banner')).toContainText(person.name);

	const other = await browser.newPage();
	await signUp(other, { ...newPerson('Someone Else'), email: person.email });
	const email = other.getByRole('textbox', { name: 'Email' });
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expect(email).toHaveAccessibleDescription('This email is already used. Sign in instead, or use another email.');
	await expect(other).toHaveURL(/\/signup/);
	await other.close();
});

test('a short password is explained next to the password field', async ({ page }) => {
	await signUp(page, { ...newPerson(), password: 'short' });
	await expect(page.getByLabel('Password')).toHaveAccessibleDescription('Use at least 8 characters for your password');
});

test('after signing in, people return to the page they asked for', async ({ page }) => {
	const person = newPerson();
	await signUp(page, person, '/signup?next=%2F%3Fwelcome%3D1');
	await expect(page).toHaveURL(/\/\?welcome=1$/);
});

test('the lobby fits a 360 px phone without sideways scrolling @phone', async ({ page }) => {
	await page.setViewportSize({ width: 360, height: 740 });
	await signUp(page, newPerson('Grace Brewster Murray Hopper With A Long Name'));
	await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBe(0);
});
