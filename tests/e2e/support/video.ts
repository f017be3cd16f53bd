import type { Page } from '@playwright/test';

/**
 * Watches every remote video on the page (the tiles of the call, by their accessible name) and
 * records the longest gap between two presented frames, per tile; requestVideoFrameCallback keeps
 * firing when a tile's stream is swapped, so a switch of path is measured too. Returns a reader.
 */
export async function watchFreezes(page: Page): Promise<() => Promise<Record<string, number>>> {
	await page.evaluate(() => {
		const gaps: Record<string, number> = {};
		const last: Record<string, number> = {};
		(window as unknown as { __gaps: typeof gaps }).__gaps = gaps;
		for (const figure of document.querySelectorAll<HTMLElement>('[aria-label="Participants"] figure')) {
			const name = figure.getAttribute('aria-label') ?? '';
			const video = figure.querySelector('video');
			if (!video || video.muted) continue;
			const onFrame = () => {
				const now = performance.now();
				if (last[name] !== undefined) gaps[name] = Math.max(gaps[name] ?? 0, now - last[name]);
				last[name] = now;
				video.requestVideoFrameCallback(onFrame);
			};
			video.requestVideoFrameCallback(onFrame);
		}
	});
	return () => page.evaluate(() => (window as unknown as { __gaps: Record<string, number> }).__gaps);
}
