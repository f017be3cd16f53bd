import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import sharp from 'sharp';
import { keptForOffline, messageAction, messageLog, sendMessage, twoInARoom } from './support/ui.ts';

// Files in the chat as people use them: attach (button, paste, drop), see, download, offline.

const png = (width: number, height: number, colour: string) => sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();
/** A small but real PDF: its bytes must arrive unchanged. */
const PDF = Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n${'x'.repeat(5000)}`);

/** An image in the timeline has loaded when the browser decoded it (the thumbnail was served and is an image). */
async function expectDecoded(image: Locator) {
	await expect(image).toBeVisible();
	await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
}

/** Hands files to the page as the browser would for a paste or a drop. */
async function dataTransfer(page: Page, files: { name: string; type: string; bytes: Buffer }[]) {
	return page.evaluateHandle((list) => {
		const transfer = new DataTransfer();
		for (const file of list) transfer.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
		return transfer;
	}, files.map((file) => ({ ...file, bytes: [...file.bytes] as unknown as Buffer })));
}

test('attach an image and a PDF (button, paste and drop): the other person sees the preview and downloads the same bytes', async ({ browser }) => {
	test.slow();
	const { pageA, pageB, close } = await twoInARoom(browser, 'Holiday');
	const photo = await png(1200, 800, '#2266aa');

	// The button, several files at once, with a caption.
	const chooser = pageA.waitForEvent('filechooser');
	await pageA.getByRole('button', { name: 'Attach file' }).click();
	await (await chooser).setFiles([
		{ name: 'beach.png', mimeType: 'image/png', buffer: photo },
		{ name: 'tickets.pdf', mimeType: 'application/pdf', buffer: PDF }
	]);
	const staged = pageA.getByRole('list', { name: 'Files to send' });
	await expect(staged.getByRole('listitem')).toHaveCount(2);
	await sendMessage(pageA, 'Our trip');
	await expect(staged).toHaveCount(0);

	const message = messageLog(pageB).getByRole('article').filter({ hasText: 'Our trip' });
	await expectDecoded(message.getByRole('img', { name: 'beach.png' }));
	// Shown at the tile's size, shaped as the photo is (no layout jump when it loads).
	expect(await message.getByRole('img', { name: 'beach.png' }).evaluate((img: HTMLImageElement) => [img.width, img.height])).toEqual([320, 213]);
	await expect(message.getByText('PDF · 5 kB')).toBeVisible();
	const [download] = await Promise.all([pageB.waitForEvent('download'), message.getByRole('link', { name: 'Download tickets.pdf' }).click()]);
	expect(download.suggestedFilename()).toBe('tickets.pdf');
	expect((await readFile(await download.path())).equals(PDF), 'the downloaded PDF has the same bytes').toBe(true);
	// The sender's copy is no longer "on its way".
	await expect(messageLog(pageA).getByRole('progressbar')).toHaveCount(0);

	// Paste into the message box.
	const pasted = await dataTransfer(pageA, [{ name: 'pasted.png', type: 'image/png', bytes: await png(300, 200, '#aa3322') }]);
	await pageA.getByRole('textbox', { name: 'Message' }).evaluate((box, transfer) => box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true })), pasted);
	await expect(staged.getByRole('listitem')).toHaveCount(1);
	await pageA.getByRole('button', { name: 'Send' }).click();
	await expectDecoded(messageLog(pageB).getByRole('img', { name: 'pasted.png' }));

	// Drop onto the room.
	const dropped = await dataTransfer(pageA, [{ name: 'dropped.png', type: 'image/png', bytes: await png(200, 300, '#33aa22') }]);
	const chat = pageA.getByRole('region', { name: 'Chat' });
	await chat.dispatchEvent('dragover', { dataTransfer: dropped });
	await chat.dispatchEvent('drop', { dataTransfer: dropped });
	await expect(staged.getByRole('listitem')).toHaveCount(1);
	await sendMessage(pageA, 'and one more');
	await expectDecoded(messageLog(pageB).getByRole('article').filter({ hasText: 'and one more' }).getByRole('img', { name: 'dropped.png' }));
	await close();
});

test('a file over the size limit is refused in the composer, with the limit', async ({ browser }) => {
	// Handing 25 MB to the browser takes a while on a slow machine.
	test.slow();
	const { pageA, close } = await twoInARoom(browser, 'Big files');
	const chooser = pageA.waitForEvent('filechooser');
	await pageA.getByRole('button', { name: 'Attach file' }).click();
	await (await chooser).setFiles([{ name: 'film.mkv', mimeType: 'video/x-matroska', buffer: Buffer.alloc(25 * 1024 * 1024 + 1) }]);
	await expect(pageA.getByRole('alert')).toHaveText('“film.mkv” is too large: files can be at most 25 MB.');
	await expect(pageA.getByRole('list', { name: 'Files to send' })).toHaveCount(0);
	await close();
});

test('offline: an image attached without a network is kept on the device and reaches the other person after reconnecting, in order', async ({ browser }) => {
	test.slow();
	const { a, pageA, pageB, close } = await twoInARoom(browser, 'Train');
	await sendMessage(pageA, 'leaving the station');
	await expect(messageLog(pageB).getByText('leaving the station')).toBeVisible();
	// The room page is kept by the service worker, so it reloads offline.
	await keptForOffline(pageA);

	await a.setOffline(true);
	await expect(pageA.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
	const chooser = pageA.waitForEvent('filechooser');
	await pageA.getByRole('button', { name: 'Attach file' }).click();
	await (await chooser).setFiles([{ name: 'tunnel.png', mimeType: 'image/png', buffer: await png(640, 480, '#553311') }]);
	await sendMessage(pageA, 'view from the window');
	await sendMessage(pageA, 'written after the photo');
	const waiting = messageLog(pageA).getByRole('article').filter({ hasText: 'view from the window' });
	await expect(waiting.getByText('Waiting for the network to send')).toBeVisible();
	await expect(waiting.getByRole('img', { name: 'tunnel.png' })).toBeVisible();

	// Still there after a reload with no network: the file waits in IndexedDB.
	await pageA.reload();
	await expect(messageLog(pageA).getByRole('article').filter({ hasText: 'view from the window' }).getByText('Waiting for the network to send')).toBeVisible();

	await a.setOffline(false);
	const arrived = messageLog(pageB).getByRole('article').filter({ hasText: 'view from the window' });
	await expectDecoded(arrived.getByRole('img', { name: 'tunnel.png' }));
	await expect(messageLog(pageB).getByText('written after the photo')).toBeVisible();
	const texts = await messageLog(pageB).getByRole('article').allInnerTexts();
	const order = ['leaving the station', 'view from the window', 'written after the photo'].map((t) => texts.findIndex((x) => x.includes(t)));
	expect(order.every((i) => i >= 0)).toBe(true);
	expect(order).toEqual([...order].sort((x, y) => x - y));
	// Sent once: one message with the photo, on both sides.
	await expect(messageLog(pageB).getByRole('img', { name: 'tunnel.png' })).toHaveCount(1);
	await expect(messageLog(pageA).getByRole('img', { name: 'tunnel.png' })).toHaveCount(1);
	await expect(messageLog(pageA).getByText('Waiting for the network to send')).toHaveCount(0);
	await close();
});

test('an uploaded HTML file does not run when opened: it is downloaded, not shown, even in a frame', async ({ browser }) => {
	const { pageA, pageB, close } = await twoInARoom(browser, 'Traps');
	const trap = Buffer.from('<!doctype html><title>trap</title><script>try { parent.pwned = true } catch {} window.pwned = true; document.title = "ran"</script>');
	const chooser = pageA.waitForEvent('filechooser');
	await pageA.getByRole('button', { name: 'Attach file' }).click();
	await (await chooser).setFiles([{ name: 'invoice.html', mimeType: 'text/html', buffer: trap }]);
	await sendMessage(pageA, 'please open');
	const link = messageLog(pageB).getByRole('link', { name: 'Download invoice.html' });
	await expect(link).toBeVisible();
	const url = new URL((await link.getAttribute('href'))!, pageB.url()).href;

	// Opened as a page: the browser downloads it instead.
	const tab = await pageB.context().newPage();
	const [download] = await Promise.all([tab.waitForEvent('download'), tab.goto(url).catch(() => null)]);
	expect((await readFile(await download.path())).equals(trap)).toBe(true);
	await tab.close();

	// Framed by the app's own page: nothing runs on Parley's origin.
	await pageB.evaluate((src) => {
		const frame = document.createElement('iframe');
		frame.src = src;
		frame.title = 'trap';
		document.body.append(frame);
		return new Promise((resolve) => setTimeout(resolve, 1500));
	}, url);
	expect(await pageB.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined();
	await close();
});

test('deleting a message deletes its files: the file address answers 404 afterwards', async ({ browser }) => {
	const { pageA, pageB, close } = await twoInARoom(browser, 'Oops');
	const chooser = pageA.waitForEvent('filechooser');
	await pageA.getByRole('button', { name: 'Attach file' }).click();
	await (await chooser).setFiles([{ name: 'wrong.pdf', mimeType: 'application/pdf', buffer: PDF }]);
	await sendMessage(pageA, 'not this one');
	const link = messageLog(pageB).getByRole('link', { name: 'Download wrong.pdf' });
	await expect(link).toBeVisible();
	const href = (await link.getAttribute('href'))!;
	const status = () => pageB.evaluate((url) => fetch(url).then((r) => r.status), href);
	expect(await status()).toBe(200);

	const mine = messageLog(pageA).getByRole('article').filter({ hasText: 'not this one' });
	await messageAction(mine, 'Delete');
	await pageA.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
	await expect(messageLog(pageB).getByText('not this one')).toHaveCount(0);
	await expect.poll(status, { timeout: 10_000 }).toBe(404);
	await close();
});
