import type { Page } from '@playwright/test';

/**
 * Watches every remote video on the page (the tiles of the call, by their accessible name) and
 * records the longest gap between two presented frames, per tile; requestVideoFrameCallback keeps
 * firing when a tile's stream is swapped, so a switch of path is measured too. Returns a reader.
 * With `ownCamera`, the page's own (muted) camera tile is watched too, as OWN_CAMERA: a gap there
 * is the page itself stalling (a busy machine), not the call.
 */
export const OWN_CAMERA = '(own camera)';
export async function watchFreezes(page: Page, ownCamera = false): Promise<() => Promise<Record<string, number>>> {
	await page.evaluate(([ownCamera, ownName]) => {
		const gaps: Record<string, number> = {};
		const last: Record<string, number> = {};
		(window as unknown as { __gaps: typeof gaps }).__gaps = gaps;
		for (const figure of document.querySelectorAll<HTMLElement>('[aria-label="Participants"] figure')) {
			const video = figure.querySelector('video');
			if (!video || (video.muted && !ownCamera)) continue;
			const name = video.muted ? ownName : (figure.getAttribute('aria-label') ?? '');
			const onFrame = () => {
				const now = performance.now();
				if (last[name] !== undefined) gaps[name] = Math.max(gaps[name] ?? 0, now - last[name]);
				last[name] = now;
				video.requestVideoFrameCallback(onFrame);
			};
			video.requestVideoFrameCallback(onFrame);
		}
	}, [ownCamera, OWN_CAMERA] as const);
	return () => page.evaluate(() => (window as unknown as { __gaps: Record<string, number> }).__gaps);
}
