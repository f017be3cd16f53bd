import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The two looks a call is checked in: a desktop screen and a phone (`tag` puts a test in the phone project too). */
export const LOOKS = [
	{ name: 'desktop', tag: '', options: { viewport: { width: 1440, height: 900 } } },
	{ name: 'phone', tag: ' @phone', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } }
] as const;

/** axe (WCAG 2 A and AA) finds nothing on the page; each violation is listed with where it is. */
export async function expectNoViolations(page: Page) {
	const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
	expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
}

export const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Call controls' });

/** Opens the People panel (on a phone it covers the stage and its toolbar; `closePanel` gives them back). */
export async function openPeople(page: Page) {
	const button = toolbar(page).getByRole('button', { name: 'People' });
	if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
	return page.getByRole('list', { name: 'People in the call' });
}

export async function closePanel(page: Page) {
	const close = page.getByRole('button', { name: 'Close panel' });
	if (await close.isVisible()) await close.click();
}
