// Time from clicking "Join" (pre-join screen) to the first decoded remote video frame, for a
// call of 2 and of 4 on loopback in Debian's Chromium (fake devices, 320×240). The last person
// joins, leaves and joins again RUNS times; medians. Also where the time of a four-person join
// goes, phase by phase (getUserMedia, peer id, signalling, ICE, first frame). HOGS=<n> runs n
// busy loops in child processes meanwhile, to play a slower machine. Then, with Parley's pages out of
// the call, the same four-person join between bare RTCPeerConnection pages (support/bare-call.ts):
// `p4_vs_bare` is Parley's figure over that baseline, which holds on a busy machine. Needs `npm run build` first.
import { fork } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium.ts';
import { startServer } from '../tests/e2e/support/server.ts';
import { bareCall, bareJoin } from './support/bare-call.ts';
import { callRoom, join, leave, median, timedJoin, type JoinPhases } from './support/call-pages.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const HOGS = Number(process.env.HOGS ?? 0);

if (process.argv[2] === 'hog') for (;;);
const hogs = Array.from({ length: HOGS }, () => fork(import.meta.filename, ['hog']));

const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
	const people = await callRoom(browser, server.url, 4);

	const measure = async (inCall: Page[], joiner: Page, expected: number) => {
		const runs: JoinPhases[] = [];
		for (let run = 0; run < RUNS; run++) {
			const phases = await timedJoin(joiner, expected);
			runs.push(phases);
			console.error(JSON.stringify({ participants: inCall.length + 1, run, ...Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)])) }));
			await leave(joiner);
		}
		const keys = Object.keys(runs[0]) as (keyof JoinPhases)[];
		return Object.fromEntries(keys.map((k) => [k, Math.round(median(runs.map((r) => r[k])))])) as JoinPhases;
	};

	// Two: one person waits in the call, the second joins.
	await join(people[0].page);
	const two = await measure([people[0].page], people[1].page, 1);

	// Four: three in the call, the fourth joins.
	for (const p of [people[1], people[2]]) await join(p.page);
	await people[0].page.waitForTimeout(2000);
	const four = await measure(
		people.slice(0, 3).map((p) => p.page),
		people[3].page,
		3
	);

	// The baseline: Parley's pages leave, four bare pages take the same join.
	for (const p of people.slice(0, 3)) await leave(p.page);
	const bare = await bareCall(browser, server.url, 4);
	const bareRuns: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		const { all_frames_ms } = await bareJoin(bare);
		bareRuns.push(all_frames_ms);
		console.error(JSON.stringify({ bare: 4, run, all_frames_ms: Math.round(all_frames_ms) }));
	}
	await bare.context.close();
	const bareFour = Math.round(median(bareRuns));

	console.log(
		JSON.stringify({
			name: 'call-join',
			runs: RUNS,
			hogs: HOGS,
			p2_median_ms: two.first_frame_ms,
			p4_median_ms: four.all_frames_ms,
			p4_first_frame_median_ms: four.first_frame_ms,
			p4_phases_median_ms: four,
			bare_p4_median_ms: bareFour,
			p4_vs_bare: Math.round((four.all_frames_ms / bareFour) * 100) / 100
		})
	);
} finally {
	await browser.close();
	await server.stop();
	for (const hog of hogs) hog.kill();
}
