// Time from clicking "Join" (pre-join screen) to the first decoded remote video frame, for a
// call of 2 and of 4 on loopback in Debian's Chromium (fake devices, 320×240). The last person
// joins, leaves and joins again RUNS times; medians. Needs `npm run build` first.
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium.ts';
import { startServer } from '../tests/e2e/support/server.ts';

const RUNS = Number(process.env.RUNS ?? 5);

async function person(browser: Browser, baseURL: string, name: string) {
	const context = await browser.newContext({ baseURL });
	await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
	const page = await context.newPage();
	await page.goto('/signup');
	const email = `${name.replace(/\W/g, '').toLowerCase()}-${Date.now()}@parley.test`;
	await page.getByRole('textbox', { name: 'Name' }).fill(name);
	await page.getByRole('textbox', { name: 'Email' }).fill(email);
	await page.getByLabel('Password').fill('a long enough password');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await page.getByRole('heading', { name: 'Your rooms' }).waitFor();
	return { page, name, email };
}

async function openPrejoin(page: Page) {
	await page.getByRole('button', { name: /^(Start|Join) call$/ }).click();
	await page.getByRole('group', { name: 'Before joining' }).getByLabel('Camera preview').waitFor();
}

/** Clicks Join and resolves with [first remote frame, all `expected` remote videos framed] in ms after the click. */
async function timedJoin(page: Page, expected: number): Promise<[number, number]> {
	await openPrejoin(page);
	return page.evaluate(async (expected) => {
		const seen = new Set<HTMLVideoElement>();
		const times: number[] = [];
		const done = new Promise<void>((resolve) => {
			const watch = () => {
				for (const video of document.querySelectorAll<HTMLVideoElement>('[aria-label="Participants"] video:not([muted])')) {
					if (video.muted || seen.has(video)) continue;
					seen.add(video);
					video.requestVideoFrameCallback(() => {
						times.push(performance.now());
						if (times.length >= expected) resolve();
					});
				}
			};
			new MutationObserver(watch).observe(document.body, { subtree: true, childList: true, attributes: true });
		});
		const button = [...document.querySelectorAll<HTMLButtonElement>('[aria-label="Before joining"] button')].find((b) => b.textContent?.trim() === 'Join')!;
		const clicked = performance.now();
		button.click();
		await done;
		return [Math.min(...times) - clicked, Math.max(...times) - clicked] as [number, number];
	}, expected);
}

async function leave(page: Page) {
	await page.getByRole('button', { name: 'Leave call' }).click();
	await page.getByRole('button', { name: /^(Start|Join) call$/ }).waitFor();
	await page.waitForTimeout(500);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
	const people = [];
	for (let i = 0; i < 4; i++) people.push(await person(browser, server.url, `Bench ${i + 1}`));
	const owner = people[0].page;
	await owner.getByRole('button', { name: 'New room' }).click();
	await owner.getByRole('textbox', { name: 'Room name' }).fill('Bench call');
	for (const p of people.slice(1)) {
		await owner.getByRole('searchbox', { name: 'Add people' }).fill(p.email);
		await owner.getByRole('button', { name: `Add ${p.name}` }).click();
	}
	await owner.getByRole('button', { name: 'Create' }).click();
	await owner.getByRole('heading', { name: 'Bench call' }).waitFor();
	for (const p of people.slice(1)) await p.page.goto(owner.url());

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
	await openPrejoin(people[0].page);
	await people[0].page.getByRole('group', { name: 'Before joining' }).getByRole('button', { name: 'Join', exact: true }).click();
	await people[0].page.getByRole('button', { name: 'Leave call' }).waitFor();
	const two = await measure([people[0].page], people[1].page, 1);

	// Four: three in the call, the fourth joins.
	for (const p of [people[1], people[2]]) {
		await openPrejoin(p.page);
		await p.page.getByRole('group', { name: 'Before joining' }).getByRole('button', { name: 'Join', exact: true }).click();
		await p.page.getByRole('button', { name: 'Leave call' }).waitFor();
	}
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
