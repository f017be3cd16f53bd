import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { CALL_UI_MS } from './bounds.ts';

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

export const tiles = (page: Page) => page.getByRole('list', { name: 'Participants' });

/**
 * How loud `name`'s sound is as this page plays it (the peak level of their tile's audio over a
 * moment, through Web Audio: a track the page stopped playing gives silence). Chromium's fake
 * microphone beeps, so a person heard reads well above zero.
 */
export async function playedLevel(page: Page, name: string): Promise<number> {
	const video = tiles(page).getByRole('listitem', { name, exact: true }).locator('video');
	return video.evaluate(async (element: HTMLVideoElement) => {
		const stream = element.srcObject as MediaStream | null;
		if (!stream || !stream.getAudioTracks().length) return -1;
		const context = new AudioContext();
		await context.resume();
		const source = context.createMediaStreamSource(stream);
		const analyser = context.createAnalyser();
		analyser.fftSize = 2048;
		source.connect(analyser);
		const samples = new Float32Array(analyser.fftSize);
		let peak = 0;
		const until = performance.now() + 1500;
		while (performance.now() < until) {
			await new Promise((resolve) => setTimeout(resolve, 40));
			analyser.getFloatTimeDomainData(samples);
			for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
		}
		await context.close();
		return peak;
	});
}

/** A level above this is someone heard. */
export const HEARD = 0.01;

/** Joins the call someone else started, from the ringing dialog. */
export async function answer(page: Page, caller: string) {
	const ringing = page.getByRole('alertdialog', { name: `${caller} is calling` });
	await expect(ringing).toBeVisible({ timeout: CALL_UI_MS });
	await ringing.getByRole('button', { name: 'Join' }).click();
	const prejoin = page.getByRole('group', { name: 'Before joining' });
	await expect(prejoin.getByLabel('Camera preview')).toBeVisible({ timeout: CALL_UI_MS });
	await prejoin.getByRole('button', { name: 'Join', exact: true }).click();
	await expect(toolbar(page).getByRole('button', { name: 'Leave call' })).toBeVisible({ timeout: CALL_UI_MS });
}
