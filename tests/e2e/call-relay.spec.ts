import { existsSync } from 'node:fs';
import { expect, test, type Browser } from '@playwright/test';
import { startCoturn, TURNSERVER } from './support/coturn.ts';
import { startServer } from './support/server.ts';
import { createRoomWith, joinCall, signUpInBrowser } from './support/ui.ts';

test('a relay-only call goes through a real coturn with Parley’s short-lived credentials', async ({ browser }) => {
	test.skip(!existsSync(TURNSERVER), 'coturn is not installed (./parley test installs it)');
	test.setTimeout(90_000);
	const turn = await startCoturn();
	const server = await startServer({ TURN_URLS: turn.url, TURN_SECRET: turn.secret }).catch((error) => {
		turn.stop();
		throw error;
	});
	try {
		await relayedCall(browser, server.url, turn);
	} finally {
		await server.stop();
		turn.stop();
	}
});

async function relayedCall(browser: Browser, baseURL: string, turn: { log: () => string }) {
	const pages = [];
	const contexts = [];
	const people = [];
	for (const name of ['Relay A', 'Relay B']) {
		const context = await browser.newContext({ baseURL });
		await context.addInitScript(() => {
			localStorage.setItem('parley:relay-only', '1');
			localStorage.setItem('parley:data-saver', '1');
		});
		const page = await context.newPage();
		people.push(await signUpInBrowser(page, name));
		contexts.push(context);
		pages.push(page);
	}
	const [a, b] = pages;
	await createRoomWith(a, 'Relayed', [people[1]]);
	await b.goto(a.url());
	for (const page of [a, b]) await joinCall(page);
	const remote = b.getByRole('list', { name: 'Participants' }).getByRole('listitem', { name: new RegExp(`^${people[0].name}`) }).locator('video');
	await expect.poll(() => remote.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames), { timeout: 30_000 }).toBeGreaterThan(5);
	// Only relay candidates were allowed, and coturn accepted Parley's credentials for them.
	expect(turn.log()).toMatch(/ALLOCATE.*success/i);
	for (const context of contexts) await context.close();
}
