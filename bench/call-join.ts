// Time from clicking "Join" (pre-join screen) to the first decoded remote video frame, for a
// call of 2 and of 4 on loopback in Debian's Chromium (fake devices, 320×240). The last person
// joins, leaves and joins again RUNS times; medians. Needs `npm run build` first.
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium.ts';
import { startServer } from '../tests/e2e/support/server.ts';
import { callRoom, join, leave, median, timedJoin } from './support/call-pages.ts';

const RUNS = Number(process.env.RUNS ?? 5);

const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
	const people = await callRoom(browser, server.url, 4);

	const measure = async (inCall: Page[], joiner: Page, expected: number) => {
		const first: number[] = [];
		const all: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			const [f, a] = await timedJoin(joiner, expected);
			first.push(f);
			all.push(a);
			console.error(JSON.stringify({ participants: inCall.length + 1, run, first_ms: Math.round(f), all_ms: Math.round(a) }));
			await leave(joiner);
		}
		return { first: median(first), all: median(all) };
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

	console.log(
		JSON.stringify({
			name: 'call-join',
			runs: RUNS,
			p2_median_ms: Math.round(two.first),
			p4_median_ms: Math.round(four.all),
			p4_first_frame_median_ms: Math.round(four.first)
		})
	);
} finally {
	await browser.close();
	await server.stop();
}
