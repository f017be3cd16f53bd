import { existsSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { startCoturn, TURNSERVER } from './support/coturn.ts';
import { startServer } from './support/server.ts';
import { createRoomWith, joinCall, signUpInBrowser, type SignedUp } from './support/ui.ts';

type Turn = Awaited<ReturnType<typeof startCoturn>>;

/** A real coturn and a Parley that hands out its short-lived credentials, for the length of `run`. */
async function withRelay(run: (baseURL: string, turn: Turn) => Promise<void>) {
	const turn = await startCoturn();
	const server = await startServer({ TURN_URLS: turn.url, TURN_SECRET: turn.secret }).catch((error) => {
		turn.stop();
		throw error;
	});
	try {
		await run(server.url, turn);
	} finally {
		await server.stop();
		turn.stop();
	}
}

/** Two people in a call that may only go through the relay ("Always relay"), each seeing the other's video. */
async function relayedCall(browser: Browser, baseURL: string, names: [string, string]) {
	const pages: Page[] = [];
	const contexts: BrowserContext[] = [];
	const people: SignedUp[] = [];
	for (const name of names) {
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
	// Each one's tile on the other's page.
	const tiles = [tileOf(b, people[0].name), tileOf(a, people[1].name)];
	for (const tile of tiles) await expect.poll(() => framesOf(tile), { timeout: 30_000 }).toBeGreaterThan(5);
	return { pages, tiles, close: () => Promise.all(contexts.map((c) => c.close())) };
}

const tileOf = (page: Page, name: string) => page.getByRole('list', { name: 'Participants' }).getByRole('listitem', { name, exact: true });
const framesOf = (tile: Locator) => tile.locator('video').evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);

test.describe('calls through a relay', () => {
	test.skip(!existsSync(TURNSERVER), 'coturn is not installed (./parley test installs it)');

	test('a relay-only call goes through a real coturn with Parley’s short-lived credentials', async ({ browser }) => {
		test.setTimeout(90_000);
		await withRelay(async (baseURL, turn) => {
			const call = await relayedCall(browser, baseURL, ['Relay A', 'Relay B']);
			// Only relay candidates were allowed, and coturn accepted Parley's credentials for them.
			expect(turn.log()).toMatch(/ALLOCATE.*success/i);
			await call.close();
		});
	});

	test('when the path goes quiet, each tile says "Reconnecting…" and the call comes back with it', async ({ browser }, info) => {
		test.setTimeout(150_000);
		await withRelay(async (baseURL, turn) => {
			const call = await relayedCall(browser, baseURL, ['Quiet A', 'Quiet B']);
			// The relay stops forwarding (as a network that drops out would): ICE loses the path on both sides.
			turn.process.kill('SIGSTOP');
			try {
				for (const tile of call.tiles) await expect(tile.getByText('Reconnecting…')).toBeVisible({ timeout: 30_000 });
				await call.pages[1].screenshot({ path: info.outputPath('reconnecting.png') });
			} finally {
				turn.process.kill('SIGCONT');
			}
			// The path is back: the notice goes and the video moves again.
			for (const tile of call.tiles) {
				await expect(tile.getByText('Reconnecting…')).toHaveCount(0, { timeout: 30_000 });
				const frames = await framesOf(tile);
				await expect.poll(() => framesOf(tile), { timeout: 30_000 }).toBeGreaterThan(frames + 5);
			}
			await expect(call.pages[0].getByRole('button', { name: 'Leave call' })).toBeVisible();
			await call.close();
		});
	});
});
