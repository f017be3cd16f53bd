import { expect, test, type Page } from '@playwright/test';
import { createRoomWith, joinCall, signUpInBrowser } from './support/ui.ts';

/** Every camera and microphone track the page obtains, kept where the test can read them. */
function collectTracks() {
	const tracks: MediaStreamTrack[] = [];
	(window as unknown as { __tracks: MediaStreamTrack[] }).__tracks = tracks;
	const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
	navigator.mediaDevices.getUserMedia = async (constraints) => {
		const stream = await original(constraints);
		tracks.push(...stream.getTracks());
		return stream;
	};
}

/** How many tracks the page has obtained, which are still live, and whether any video plays a live stream. */
const media = (page: Page) =>
	page.evaluate(() => {
		const tracks = (window as unknown as { __tracks: MediaStreamTrack[] }).__tracks;
		const playing = [...document.querySelectorAll('video')].filter((v) => !v.paused && v.srcObject instanceof MediaStream && v.srcObject.getTracks().some((t) => t.readyState === 'live'));
		return { obtained: tracks.length, live: tracks.filter((t) => t.readyState === 'live').map((t) => t.kind), playing: playing.length };
	});

test('leaving a call joined from the ringing banner stops every camera and microphone track, and nothing starts them again', async ({ browser }) => {
	const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
	for (const context of contexts) await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
	await contexts[1].addInitScript(collectTracks);
	const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
	const ann = await signUpInBrowser(a, 'Ann');
	const bob = await signUpInBrowser(b, 'Bob');
	await createRoomWith(a, 'Leaving', [bob]);
	await b.goto(a.url());
	await joinCall(a);
	await b.getByRole('alertdialog', { name: `${ann.name} is calling` }).getByRole('button', { name: 'Join' }).click();
	const prejoin = b.getByRole('group', { name: 'Before joining' });
	await expect(prejoin.getByLabel('Camera preview')).toBeVisible();
	await prejoin.getByRole('button', { name: 'Join', exact: true }).click();
	await expect(b.getByRole('button', { name: 'Leave call' })).toBeVisible();
	// The ring's ?call=join did its job once: it is no longer in the address.
	await expect.poll(() => new URL(b.url()).searchParams.has('call')).toBe(false);

	await b.getByRole('button', { name: 'Leave call' }).click();
	await expect(b.getByRole('button', { name: 'Join call' })).toBeVisible();
	await expect(prejoin).toHaveCount(0);
	await expect.poll(() => media(b)).toEqual({ obtained: expect.any(Number), live: [], playing: 0 });
	// And it stays so: no pre-join screen, no new capture, without a fresh click.
	const { obtained } = await media(b);
	await b.waitForTimeout(1500);
	expect(await media(b)).toEqual({ obtained, live: [], playing: 0 });
	await expect(prejoin).toHaveCount(0);

	// Cancel on the pre-join screen lets go of the preview too.
	await b.getByRole('button', { name: 'Join call' }).click();
	await expect(prejoin.getByLabel('Camera preview')).toBeVisible();
	await prejoin.getByRole('button', { name: 'Cancel' }).click();
	await expect.poll(() => media(b)).toEqual({ obtained: expect.any(Number), live: [], playing: 0 });

	// Opened straight from a ring notification (a fresh load): the pre-join screen, and the address is clean again.
	await b.goto(`${a.url()}?call=join`);
	await expect(prejoin.getByLabel('Camera preview')).toBeVisible();
	await expect.poll(() => new URL(b.url()).searchParams.has('call')).toBe(false);
	await Promise.all(contexts.map((c) => c.close()));
});
