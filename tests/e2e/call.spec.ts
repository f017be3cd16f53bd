import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CALL_UI_MS, REMOTE_VIDEO_MS } from './support/bounds.ts';
import { createRoomWith, joinCall, signUpInBrowser } from './support/ui.ts';

test.describe.configure({ mode: 'serial' });

/** People in one room, each with the room open; small video so several fit on two cores. */
async function roomOf(browser: Browser, count: number) {
	const contexts: BrowserContext[] = [];
	const pages: Page[] = [];
	const people = [];
	for (let i = 0; i < count; i++) {
		const context = await browser.newContext();
		await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
		const page = await context.newPage();
		people.push(await signUpInBrowser(page, `Caller${i + 1}`));
		contexts.push(context);
		pages.push(page);
	}
	const [owner] = pages;
	await createRoomWith(owner, 'Call room', people.slice(1));
	const url = owner.url();
	for (const page of pages.slice(1)) await page.goto(url);
	return { pages, people, close: () => Promise.all(contexts.map((c) => c.close())) };
}

/** Remote video of a participant: decoded frames and size. */
function remoteVideo(page: Page, name: string) {
	return page.getByRole('list', { name: 'Participants' }).getByRole('listitem', { name: new RegExp(`^${name}`) }).locator('video');
}

const framesOf = (video: ReturnType<typeof remoteVideo>) =>
	video.evaluate((v: HTMLVideoElement) => ({ frames: v.getVideoPlaybackQuality().totalVideoFrames, width: v.videoWidth, height: v.videoHeight }));

test('two people: see each other, mute shows, screen share and back, leaving removes the tile', async ({ browser }) => {
	test.setTimeout(240_000);
	const { pages, people, close } = await roomOf(browser, 2);
	const [a, b] = pages;
	await joinCall(a);
	await expect(b.getByText(/In the call: Caller1/)).toBeVisible({ timeout: CALL_UI_MS });
	// Starting the call rang B: an in-app banner with Join and Decline.
	const ring = b.getByRole('alertdialog', { name: `${people[0].name} is calling` });
	await ring.getByRole('button', { name: 'Join' }).click();
	await expect(ring).toHaveCount(0);
	await b.getByRole('group', { name: 'Before joining' }).getByRole('button', { name: 'Join', exact: true }).click();
	await expect(b.getByRole('button', { name: 'Leave call' })).toBeVisible();

	const bSeenByA = remoteVideo(a, people[1].name);
	const aSeenByB = remoteVideo(b, people[0].name);
	await expect.poll(async () => (await framesOf(bSeenByA)).frames, { timeout: REMOTE_VIDEO_MS }).toBeGreaterThan(5);
	await expect.poll(async () => (await framesOf(aSeenByB)).frames, { timeout: REMOTE_VIDEO_MS }).toBeGreaterThan(5);
	expect((await framesOf(aSeenByB)).width).toBeLessThanOrEqual(320);

	// Connection quality from getStats shows on each remote tile.
	await expect(b.getByRole('listitem', { name: new RegExp(`^${people[0].name}`) }).getByLabel('Connection: good')).toBeVisible({ timeout: REMOTE_VIDEO_MS });

	await a.getByRole('button', { name: 'Turn camera off' }).click();
	await expect(b.getByRole('listitem', { name: new RegExp(`^${people[0].name}`) })).toContainText('Camera off');
	await a.getByRole('button', { name: 'Turn camera on' }).click();
	await expect(b.getByRole('listitem', { name: new RegExp(`^${people[0].name}`) })).not.toContainText('Camera off');

	// Keyboard: Ctrl+D mutes, as in other call apps.
	await a.keyboard.press('Control+d');
	await expect(b.getByLabel(`${people[0].name} is muted`)).toBeVisible();
	await a.keyboard.press('Control+d');
	await expect(b.getByLabel(`${people[0].name} is muted`)).toHaveCount(0);

	await a.getByRole('button', { name: 'Mute microphone' }).click();
	await expect(b.getByLabel(`${people[0].name} is muted`)).toBeVisible();
	await a.getByRole('button', { name: 'Unmute microphone' }).click();
	await expect(b.getByLabel(`${people[0].name} is muted`)).toHaveCount(0);

	await a.getByRole('button', { name: 'Share screen' }).click();
	await expect(a.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
	await expect.poll(async () => (await framesOf(aSeenByB)).width, { timeout: REMOTE_VIDEO_MS }).toBeGreaterThan(320);
	await a.getByRole('button', { name: 'Stop sharing' }).click();
	await expect.poll(async () => (await framesOf(aSeenByB)).width, { timeout: REMOTE_VIDEO_MS }).toBeLessThanOrEqual(320);

	await b.getByRole('button', { name: 'Leave call' }).click();
	await expect(a.getByRole('list', { name: 'Participants' }).getByRole('listitem')).toHaveCount(1);
	await close();
});

test('four people: everyone sees three remote videos; without an SFU a fifth and sixth join with a warning, a seventh is told the call is full', async ({ browser }) => {
	test.setTimeout(360_000);
	const { pages, people, close } = await roomOf(browser, 7);
	const inCall = pages.slice(0, 4);
	for (const page of inCall) await joinCall(page);
	for (const [i, page] of inCall.entries()) {
		for (const [j, person] of people.slice(0, 4).entries()) {
			if (i === j) continue;
			await expect.poll(async () => (await framesOf(remoteVideo(page, person.name))).frames, { timeout: REMOTE_VIDEO_MS }).toBeGreaterThan(0);
		}
	}
	await expect(inCall[0].getByRole('status', { name: 'Call route' })).toHaveText('Peer-to-peer');
	// This server runs no SFU (SFU=off): the call stays peer-to-peer and stretches to six, with a warning.
	for (const page of pages.slice(4, 6)) await joinCall(page);
	await expect(inCall[0].getByRole('list', { name: 'Participants' }).getByRole('listitem')).toHaveCount(6, { timeout: CALL_UI_MS });
	await expect(pages[5].getByText(/need the server’s SFU, which this Parley does not run/)).toBeVisible();
	await expect(pages[5].getByRole('status', { name: 'Call route' })).toHaveText('Peer-to-peer');
	const seventh = pages[6];
	await seventh.getByRole('button', { name: 'Join call' }).click();
	await seventh.getByRole('group', { name: 'Before joining' }).getByRole('button', { name: 'Join', exact: true }).click();
	await expect(seventh.getByRole('alert')).toContainText('This call is full: calls on this server can have at most 6 people', { timeout: CALL_UI_MS });
	// A client that skips that check (an old tab, a script) is refused by the server too.
	const roomId = new URL(seventh.url()).pathname.split('/').at(-1)!;
	const refused = await seventh.evaluate(async (url) => {
		const response = await fetch(url, { method: 'POST' });
		return { status: response.status, body: (await response.json()) as { error: string } };
	}, `/api/rooms/${roomId}/call/peer`);
	expect(refused.status).toBe(409);
	expect(refused.body.error).toContain('at most 6 people');
	// Nothing changed for the six.
	await expect(inCall[0].getByRole('list', { name: 'Participants' }).getByRole('listitem')).toHaveCount(6, { timeout: CALL_UI_MS });
	for (const page of pages.slice(4, 6)) await page.getByRole('button', { name: 'Leave call' }).click();
	// With four tiles on screen the controls are still reachable.
	await inCall[3].getByRole('button', { name: 'Leave call' }).click();
	await expect(inCall[0].getByRole('list', { name: 'Participants' }).getByRole('listitem')).toHaveCount(3, { timeout: CALL_UI_MS });
	// Closing the tab leaves promptly too (pagehide), not after an awareness timeout.
	await inCall[2].close({ runBeforeUnload: true });
	await expect(inCall[0].getByRole('list', { name: 'Participants' }).getByRole('listitem')).toHaveCount(2, { timeout: CALL_UI_MS });
	await close();
});
