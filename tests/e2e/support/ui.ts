import { expect, type Page } from '@playwright/test';
import { newPerson } from './users.ts';

export type PersonInput = ReturnType<typeof newPerson>;

/** Fills and sends the sign-up form (the page must show it). */
export async function fillSignUp(page: Page, person: PersonInput) {
	await page.getByRole('textbox', { name: 'Name' }).fill(person.name);
	await page.getByRole('textbox', { name: 'Email' }).fill(person.email);
	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Sign up' }).click();
}

/** Signs a new person up through the UI and waits for the lobby. */
export async function signUpInBrowser(page: Page, name?: string): Promise<PersonInput> {
	const person = newPerson(name);
	await page.goto('/signup');
	await fillSignUp(page, person);
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	return person;
}
