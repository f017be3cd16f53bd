import { expect, test, type Locator } from '@playwright/test';
import sharp from 'sharp';
import { createRoomWith, messageLog, sendMessage, twoInARoom, twoPeople } from './support/ui.ts';

// The full-size viewer: opened from a preview, moved through with arrows, buttons and swipes, closed with Escape.

const png = (width: number, height: number, colour: string) => sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();

async function expectDecoded(image: Locator) {
	await expect(image).toBeVisible();
	await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
}

test('an image preview opens the viewer; arrows, buttons and a swipe move; Escape closes and focus returns', async ({ browser }) => {
	test.slow();
	const { pageA, pageB, close } = await twoInARoom(browser, 'Album');
	const chooser = pageA.waitForEvent('filechooser');
	await pageA.getByRole('button', { name: 'Attach file' }).click();
	await (await chooser).setFiles([
		{ name: 'one.png', mimeType: 'image/png', buffer: await png(900, 600, '#cc3333') },
		{ name: 'two.png', mimeType: 'image/png', buffer: await png(600, 900, '#33cc33') },
		{ name: 'three.png', mimeType: 'image/png', buffer: await png(800, 800, '#3333cc') }
	]);
	await sendMessage(pageA, 'Three colours');

	const message = messageLog(pageB).getByRole('article').filter({ hasText: 'Three colours' });
	await expectDecoded(message.getByRole('img', { name: 'two.png' }));
	const opener = message.getByRole('button', { name: 'Open two.png' });
	await opener.click();

	const viewer = pageB.getByRole('dialog', { name: 'two.png' });
	await expect(viewer).toBeVisible();
	await expect(viewer.getByText('2 of 3')).toBeVisible();
	await expect(viewer.getByRole('button', { name: 'Close' })).toBeFocused();
	// Full size, not the thumbnail.
	const full = viewer.getByRole('img', { name: 'two.png' });
	await expectDecoded(full);
	expect(await full.evaluate((img: HTMLImageElement) => [img.naturalWidth, new URL(img.src).pathname.endsWith('/thumbnail')])).toEqual([600, false]);
	expect(await viewer.getByRole('link', { name: 'Download' }).getAttribute('download')).toBe('two.png');

	await pageB.keyboard.press('ArrowRight');
	await expect(pageB.getByRole('dialog', { name: 'three.png' }).getByText('3 of 3')).toBeVisible();
	await expect(pageB.getByRole('button', { name: 'Next' })).toBeDisabled();
	await pageB.keyboard.press('ArrowLeft');
	await pageB.keyboard.press('ArrowLeft');
	await expect(pageB.getByRole('dialog', { name: 'one.png' }).getByText('1 of 3')).toBeVisible();
	await expect(pageB.getByRole('button', { name: 'Previous' })).toBeDisabled();
	await pageB.getByRole('button', { name: 'Next' }).click();
	await expect(pageB.getByRole('dialog', { name: 'two.png' })).toBeVisible();

	// A swipe to the left is the next file.
	const picture = await pageB.getByRole('dialog').getByRole('img', { name: 'two.png' }).boundingBox();
	const y = picture!.y + picture!.height / 2;
	await pageB.mouse.move(picture!.x + picture!.width * 0.8, y);
	await pageB.mouse.down();
	await pageB.mouse.move(picture!.x + picture!.width * 0.2, y + 5, { steps: 5 });
	await pageB.mouse.up();
	await expect(pageB.getByRole('dialog', { name: 'three.png' }).getByText('3 of 3')).toBeVisible();

	await pageB.keyboard.press('Escape');
	await expect(pageB.getByRole('dialog')).toHaveCount(0);
	await expect(opener).toBeFocused();
	await close();
});

test('@phone on a touch screen, a swipe moves between files and the viewer fits the screen', async ({ browser }) => {
	test.slow();
	const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
	const { a, pageA, pageB, second, close } = await twoPeople(browser, ['Alice', 'Bob'], phone);
	await createRoomWith(pageA, 'Snaps', [second]);
	await pageB.getByRole('link', { name: /Snaps/ }).click();
	const chooser = pageB.waitForEvent('filechooser');
	await pageB.getByRole('button', { name: 'Attach file' }).click();
	await (await chooser).setFiles([
		{ name: 'left.png', mimeType: 'image/png', buffer: await png(1200, 800, '#aa5500') },
		{ name: 'right.png', mimeType: 'image/png', buffer: await png(800, 1200, '#0055aa') }
	]);
	await sendMessage(pageB, 'Two snaps');

	const message = messageLog(pageA).getByRole('article').filter({ hasText: 'Two snaps' });
	await expectDecoded(message.getByRole('img', { name: 'left.png' }));
	await message.getByRole('button', { name: 'Open left.png' }).tap();
	const viewer = pageA.getByRole('dialog', { name: 'left.png' });
	await expectDecoded(viewer.getByRole('img', { name: 'left.png' }));
	// The whole picture and its caption are on screen.
	const shown = (await viewer.getByRole('img', { name: 'left.png' }).boundingBox())!;
	expect(shown.x).toBeGreaterThanOrEqual(0);
	expect(shown.x + shown.width).toBeLessThanOrEqual(390);
	await expect(viewer.getByText('left.png', { exact: true })).toBeInViewport();

	const touch = await a.newCDPSession(pageA);
	const y = shown.y + shown.height / 2;
	await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: 320, y }] });
	for (const x of [280, 220, 160, 100]) await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + 4 }] });
	await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
	await expect(pageA.getByRole('dialog', { name: 'right.png' }).getByText('2 of 2')).toBeVisible();
	// Clicked, not tapped: right after the synthetic swipe, headless Chromium does not turn a tap into a click (probably taken to stop the swipe's fling); a tap on Close works on its own.
	await pageA.getByRole('button', { name: 'Close' }).click();
	await expect(pageA.getByRole('dialog')).toHaveCount(0);
	await close();
});
