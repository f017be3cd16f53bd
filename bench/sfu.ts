// Calls of five on the Janus SFU, in Debian's Chromium on loopback (fake devices, 320×240 at 15 fps;
// VIDEO=640 for 640×480 at 30 fps, which the SFU receives as three simulcast layers):
// - switch_max_freeze_ms: four are in a mesh call and the fifth joins, so the server moves the call
//   to the SFU; the longest time any remote video on the first four pages went without a new frame,
//   from the fifth clicking Join until every page shows the call "Through the server" and 2 s more;
// - first_frame_median_ms: with the call on the SFU, the fifth leaves and joins again RUNS times:
//   Join click to first decoded remote frame (median), and to all four (all_frames_median_ms);
// - janus_cores_per_stream: Janus' CPU time over 10 s of the five-person call (per /proc), divided by
//   the video streams it forwards (5 publishers × 4 subscribers).
// Needs `npm run build` first, and the Debian package `janus`.
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium.ts';
import { startServer } from '../tests/e2e/support/server.ts';
import { watchFreezes } from '../tests/e2e/support/video.ts';
import { callRoom, join, leave, median, timedJoin, videoStats } from './support/call-pages.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const route = (page: Page) => page.getByRole('status', { name: 'Call route' });

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

const server = await startServer({ SFU: 'auto', JANUS_RTP_PORTS: '43000-43400' });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
	const people = await callRoom(browser, server.url, 5);
	const pages = people.map((p) => p.page);
	const [first4, fifth] = [pages.slice(0, 4), pages[4]];
	for (const page of first4) await join(page);
	// Everyone sees everyone peer-to-peer before the fifth comes.
	for (const page of first4) await page.waitForFunction(() => [...document.querySelectorAll<HTMLVideoElement>('[aria-label="Participants"] video')].filter((v) => !v.muted && v.videoWidth > 0).length === 3, undefined, { timeout: 30_000 });
	await pages[0].waitForTimeout(2000);

	const readers = await Promise.all(first4.map((page) => watchFreezes(page)));
	await join(fifth);
	for (const page of pages) await route(page).filter({ hasText: 'Through the server' }).waitFor({ timeout: 60_000 });
	await pages[0].waitForTimeout(2000);
	const freezes = await Promise.all(readers.map(async (read) => Math.max(0, ...Object.values(await read()))));
	console.error(JSON.stringify({ switch_freeze_ms_per_page: freezes.map(Math.round) }));

	// On the SFU only the Janus connection sends: its encodings (h/m/l with simulcast).
	const layers = (await videoStats(pages[0])).layersSent;
	console.error(JSON.stringify({ video_layers_sent_by_first_page: layers }));

	// The layer each page receives fits its tiles: small tiles get the middle layer, a tall window the top one.
	let layerWidths: { small: number[]; large: number[] } | null = null;
	if (layers.length > 1) {
		await pages[0].waitForTimeout(3000);
		const small = (await videoStats(pages[0])).widthsReceived;
		await pages[0].setViewportSize({ width: 1280, height: 1400 });
		await pages[0].waitForTimeout(5000);
		const large = (await videoStats(pages[0])).widthsReceived;
		await pages[0].setViewportSize({ width: 1280, height: 720 });
		layerWidths = { small, large };
		console.error(JSON.stringify({ received_widths_small_tiles: small, received_widths_large_tiles: large }));
	}

	const pid = Number(readFileSync(joinPath(server.dataDir, 'janus', 'janus.pid'), 'utf8'));
	const before = cpuSeconds(pid);
	await pages[0].waitForTimeout(10_000);
	const janusCores = (cpuSeconds(pid) - before) / 10;

	// The call stays on the SFU with four (it goes back to mesh only at three or fewer).
	await leave(fifth);
	const firsts: number[] = [];
	const alls: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		const { first_frame_ms: f, all_frames_ms: a } = await timedJoin(fifth, 4);
		firsts.push(f);
		alls.push(a);
		console.error(JSON.stringify({ run, first_ms: Math.round(f), all_ms: Math.round(a), route: await route(fifth).textContent() }));
		await leave(fifth);
	}
	console.log(
		JSON.stringify({
			name: 'sfu',
			runs: RUNS,
			video: process.env.VIDEO === '640' ? '640x480' : '320x240',
			first_frame_median_ms: Math.round(median(firsts)),
			all_frames_median_ms: Math.round(median(alls)),
			switch_max_freeze_ms: Math.round(Math.max(...freezes)),
			simulcast_layers: layers.filter((rid) => rid !== 'single').length,
			...(layerWidths ? { received_width_small_tiles_px: median(layerWidths.small), received_width_large_tiles_px: median(layerWidths.large) } : {}),
			janus_cores: Number(janusCores.toFixed(3)),
			janus_cores_per_stream: Number((janusCores / 20).toFixed(4))
		})
	);
} finally {
	await browser.close();
	await server.stop();
}
