import { expect, test } from '@playwright/test';
import { createRoomWith, messageLog, twoInARoom, twoPeople } from './support/ui.ts';

// Voice messages, recorded from Chromium's fake microphone (a tone), sent like a file, played inline.

test('a voice message is recorded, reaches the other person and plays there, with its length', async ({ browser }) => {
	test.slow();
	const { pageA, pageB, close } = await twoInARoom(browser, 'Voice notes');
	// The recording is fetched through the service worker, which keeps it and answers ranges from its copy.
	await pageB.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });

	await pageA.getByRole('button', { name: 'Record voice message' }).click();
	const recording = pageA.getByRole('group', { name: 'Recording' });
	await expect(recording.getByRole('timer')).toHaveText(/^0:0[2-9]$/, { timeout: 15_000 });
	await recording.getByRole('button', { name: 'Send voice message' }).click();
	await expect(recording).toHaveCount(0);
	await expect(pageA.getByRole('button', { name: 'Record voice message' })).toBeVisible();

	const message = messageLog(pageB).getByRole('article').filter({ has: pageB.getByRole('slider', { name: 'Position' }) });
	await expect(message).toHaveCount(1, { timeout: 20_000 });
	// The recorded length, before playing (Chromium's WebM recordings carry none).
	const scrubber = message.getByRole('slider', { name: 'Position' });
	await expect(scrubber).toHaveAttribute('aria-valuetext', /^0:00 of 0:0[2-9]$/);

	// The server sniffs the recording as WebM video; it plays as audio anyway.
	const audio = message.locator('audio');
	const src = await audio.getAttribute('src');
	const served = await pageB.request.get(src!);
	expect(served.status()).toBe(200);
	expect(served.headers()['content-type']).toMatch(/^(audio|video)\/webm/);

	await message.getByRole('button', { name: 'Play voice message' }).click();
	await expect(message.getByRole('button', { name: 'Pause voice message' })).toBeVisible();
	await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.5);
	await expect(scrubber).toHaveAttribute('aria-valuetext', /^0:0[1-9] of 0:0[2-9]$/);
	// Played to the end, it is ready to play again.
	await expect(message.getByRole('button', { name: 'Play voice message' })).toBeVisible({ timeout: 15_000 });
	await expect(scrubber).toHaveAttribute('aria-valuetext', /^0:00 of 0:0[2-9]$/);

	// The scrubber seeks.
	expect(await audio.evaluate((el: HTMLAudioElement) => el.seekable.length)).toBeGreaterThan(0);
	await scrubber.evaluate((input: HTMLInputElement) => {
		input.value = '1';
		input.dispatchEvent(new Event('input', { bubbles: true }));
	});
	await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime)).toBeGreaterThanOrEqual(0.9);
	await close();
});

test('Cancel throws a recording away', async ({ page }) => {
	const { pageA, close } = await twoInARoom(page.context().browser()!, 'No voice');
	await pageA.getByRole('button', { name: 'Record voice message' }).click();
	const recording = pageA.getByRole('group', { name: 'Recording' });
	await expect(recording.getByRole('timer')).toHaveText(/^0:0[1-9]$/, { timeout: 15_000 });
	await recording.getByRole('button', { name: 'Cancel recording' }).click();
	await expect(pageA.getByRole('button', { name: 'Record voice message' })).toBeVisible();
	// The text box is back and nothing was sent.
	await expect(pageA.getByRole('textbox', { name: 'Message' })).toBeVisible();
	await expect(messageLog(pageA).getByRole('article')).toHaveCount(0);
	await close();
});

test('@phone hold to record: held on the touch screen it records, and letting go sends', async ({ browser }) => {
	test.slow();
	const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
	const { a, pageA, pageB, second, close } = await twoPeople(browser, ['Alice', 'Bob'], phone);
	await createRoomWith(pageA, 'Walkie-talkie', [second]);
	await pageB.getByRole('link', { name: /Walkie-talkie/ }).click();
	const button = pageA.getByRole('button', { name: 'Record voice message' });
	const box = (await button.boundingBox())!;
	const touch = await a.newCDPSession(pageA);
	const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
	await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
	const recording = pageA.getByRole('group', { name: 'Recording' });
	await expect(recording.getByText('Release to send')).toBeVisible({ timeout: 15_000 });
	await expect(recording.getByRole('timer')).toHaveText(/^0:0[2-9]$/, { timeout: 15_000 });
	await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
	await expect(recording).toHaveCount(0);

	const message = messageLog(pageB).getByRole('article').filter({ has: pageB.getByRole('slider', { name: 'Position' }) });
	await expect(message).toHaveCount(1, { timeout: 20_000 });
	await expect(message.getByRole('slider', { name: 'Position' })).toHaveAttribute('aria-valuetext', /^0:00 of 0:0[2-9]$/);
	// A tap is a click: it records until Send, and a later keyboard press still starts a recording.
	await button.tap();
	await expect(recording.getByRole('timer')).toBeVisible({ timeout: 15_000 });
	await expect(recording.getByText('Release to send')).toHaveCount(0);
	await recording.getByRole('button', { name: 'Cancel recording' }).tap();
	await button.focus();
	await pageA.keyboard.press('Enter');
	await expect(recording.getByRole('timer')).toBeVisible({ timeout: 15_000 });
	await close();
});
