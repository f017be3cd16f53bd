import { expect, test, type Locator } from '@playwright/test';
import sharp from 'sharp';
import { messageLog, sendMessage, twoInARoom } from './support/ui.ts';

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
