import { expect, test, type Locator, type Page } from '@playwright/test';
import { CALL_UI_MS, REMOTE_VIDEO_MS } from './support/bounds.ts';
import { HEARD, answer, playedLevel, tiles, toolbar } from './support/call-page.ts';
import { createRoomWith, joinCall, signUpInBrowser } from './support/ui.ts';

/** What the browser applies to the microphone this `video` plays (the local tile's, or the pre-join preview's). */
const microphone = (video: Locator) =>
	video.evaluate((element: HTMLVideoElement) => {
		const track = (element.srcObject as MediaStream | null)?.getAudioTracks()[0];
		const settings = track?.getSettings();
		return track && settings && track.readyState === 'live' ? { noiseSuppression: settings.noiseSuppression, echoCancellation: settings.echoCancellation } : null;
	});

test('a tile pinned for oneself takes the stage; noise suppression and echo cancellation switch off and on in the call, the others still hear, and the choice is kept for the next call', async ({ browser }) => {
	test.slow();
	const [a, b] = await Promise.all([browser.newContext(), browser.newContext()]);
	try {
		const [annPage, bobPage] = await Promise.all([a.newPage(), b.newPage()]);
		const ann = await signUpInBrowser(annPage, 'Ann');
		const bob = await signUpInBrowser(bobPage, 'Bob');
		const roomId = await createRoomWith(annPage, 'Studio', [bob]);
		await bobPage.goto(`/rooms/${roomId}`);
		await expect(bobPage.getByRole('heading', { name: 'Studio', level: 1 })).toBeVisible();
		await joinCall(annPage);
		await answer(bobPage, ann.name);
		const mine = tiles(annPage).getByRole('listitem', { name: `${ann.name} (you)` }).locator('video');
		await expect.poll(() => microphone(mine), { timeout: CALL_UI_MS }).toEqual({ noiseSuppression: true, echoCancellation: true });
		await expect.poll(() => playedLevel(bobPage, ann.name), { timeout: REMOTE_VIDEO_MS }).toBeGreaterThan(HEARD);

		// Bob pins Ann's tile for himself: it takes the stage, his own goes to the strip; Ann's view does not change.
		const width = async (page: Page, name: string) => (await tiles(page).getByRole('listitem', { name, exact: true }).boundingBox())!.width;
		const pin = tiles(bobPage).getByRole('button', { name: `Pin ${ann.name}` });
		await pin.focus();
		await pin.press('Enter');
		await expect(tiles(bobPage).getByRole('button', { name: `Unpin ${ann.name}` })).toHaveAttribute('aria-pressed', 'true');
		await expect.poll(async () => (await width(bobPage, ann.name)) / (await width(bobPage, `${bob.name} (you)`))).toBeGreaterThan(2.5);
		expect(Math.abs((await width(annPage, `${ann.name} (you)`)) - (await width(annPage, bob.name)))).toBeLessThan(2);
		await tiles(bobPage).getByRole('button', { name: `Unpin ${ann.name}` }).click();
		await expect.poll(async () => Math.abs((await width(bobPage, ann.name)) - (await width(bobPage, `${bob.name} (you)`)))).toBeLessThan(2);

		// Off for music: the microphone is opened again without the browser's noise suppression.
		await toolbar(annPage).getByRole('button', { name: 'Call settings' }).click();
		const menu = annPage.getByRole('dialog', { name: 'Devices' });
		const noise = menu.getByRole('checkbox', { name: 'Noise suppression' });
		await expect(noise).toBeChecked();
		await noise.uncheck();
		await expect.poll(() => microphone(mine), { timeout: CALL_UI_MS }).toEqual({ noiseSuppression: false, echoCancellation: true });
		await menu.getByRole('checkbox', { name: 'Echo cancellation' }).uncheck();
		await expect.poll(() => microphone(mine), { timeout: CALL_UI_MS }).toEqual({ noiseSuppression: false, echoCancellation: false });
		// The new microphone track is what Bob hears.
		await expect.poll(() => playedLevel(bobPage, ann.name), { timeout: CALL_UI_MS }).toBeGreaterThan(HEARD);

		// The next call starts as she left it; turned on again, it applies at once.
		await annPage.keyboard.press('Escape');
		await toolbar(annPage).getByRole('button', { name: 'Leave call' }).click();
		await annPage.reload();
		await annPage.getByRole('button', { name: /^(Start|Join) call$/ }).click({ timeout: CALL_UI_MS });
		const prejoin = annPage.getByRole('group', { name: 'Before joining' });
		const preview = prejoin.getByLabel('Camera preview');
		await expect(prejoin.getByRole('checkbox', { name: 'Noise suppression' })).not.toBeChecked();
		await expect(prejoin.getByRole('checkbox', { name: 'Echo cancellation' })).not.toBeChecked();
		await expect.poll(() => microphone(preview), { timeout: CALL_UI_MS }).toEqual({ noiseSuppression: false, echoCancellation: false });
		await prejoin.getByRole('checkbox', { name: 'Noise suppression' }).check();
		await expect.poll(() => microphone(preview), { timeout: CALL_UI_MS }).toEqual({ noiseSuppression: true, echoCancellation: false });
	} finally {
		await Promise.all([a.close(), b.close()]);
	}
});
