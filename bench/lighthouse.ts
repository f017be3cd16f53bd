// Lighthouse (npm `lighthouse`, driving Debian's Chromium) on the sign-in page, the lobby and a room (its two panes),
// with the desktop and mobile presets; prints the lowest score of each category over pages and
// presets, and the gzipped size of the JavaScript the lobby loads. Needs `npm run build` first.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium.ts';
import { startServer } from '../tests/e2e/support/server.ts';
import { freePort } from '../server/free-port.ts';

type Scores = { performance: number; accessibility: number; best_practices: number };
type Result = {
	lhr: {
		categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
		audits: Record<string, { score: number | null; details?: { items?: { url: string; resourceType?: string }[] } }>;
	};
};

const server = await startServer();
const debuggingPort = await freePort();
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'parley-lh-')), {
	executablePath: CHROMIUM_PATH,
	args: [...CHROMIUM_ARGS, `--remote-debugging-port=${debuggingPort}`],
	headless: true
});

async function audit(path: string, preset: 'desktop' | 'mobile'): Promise<{ scores: Scores; result: Result }> {
	const flags = { port: debuggingPort, output: 'json' as const, logLevel: 'error' as const, disableStorageReset: true, onlyCategories: ['performance', 'accessibility', 'best-practices'] };
	const run = (await lighthouse(`${server.url}${path}`, flags, preset === 'desktop' ? desktopConfig : undefined)) as unknown as Result;
	const score = (id: string) => Math.round((run.lhr.categories[id].score ?? 0) * 100);
	const scores = { performance: score('performance'), accessibility: score('accessibility'), best_practices: score('best-practices') };
	// What cost points, beside the scores: the audits of each category that did not pass.
	const failing = Object.fromEntries(
		Object.entries(run.lhr.categories).map(([id, category]) => [id, category.auditRefs.filter((ref) => ref.weight > 0 && (run.lhr.audits[ref.id]?.score ?? 1) < 0.9).map((ref) => ref.id)])
	);
	// Chromium's Issues panel does not say which issue in the audit's name: the kinds are listed.
	const issues = (run.lhr.audits['inspector-issues']?.details as { items?: { issueType?: unknown; subItems?: { items?: unknown[] } }[] } | undefined)?.items ?? [];
	const inspectorIssues = issues.map((item) => ({ type: item.issueType, about: item.subItems?.items?.slice(0, 3) }));
	console.error(JSON.stringify({ path, preset, ...scores, failing, ...(inspectorIssues.length ? { inspectorIssues } : {}) }));
	return { scores, result: run };
}

try {
	const all: Scores[] = [];
	for (const preset of ['desktop', 'mobile'] as const) all.push((await audit('/signin', preset)).scores);

	// Sign up in the same browser profile, so Lighthouse opens the lobby signed in.
	const page = context.pages()[0] ?? (await context.newPage());
	await page.goto(`${server.url}/signup`);
	await page.getByRole('textbox', { name: 'Name' }).fill('Lighthouse Keeper');
	await page.getByRole('textbox', { name: 'Email' }).fill(`keeper-${Date.now()}@parley.test`);
	await page.getByLabel('Password').fill('a long enough password');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await page.getByRole('heading', { name: 'Your rooms' }).waitFor();

	let lobbyScripts: string[] = [];
	for (const preset of ['desktop', 'mobile'] as const) {
		const { scores, result } = await audit('/', preset);
		all.push(scores);
		const requests = result.lhr.audits['network-requests']?.details?.items ?? [];
		lobbyScripts = requests.filter((r) => r.resourceType === 'Script' && r.url.startsWith(server.url)).map((r) => r.url);
	}
	// A room with a few messages, beside the room list.
	const room = (await (await page.request.post(`${server.url}/api/rooms`, { data: { name: 'Lighthouse' } })).json()) as { id: string };
	await page.request.post(`${server.url}/api/rooms`, { data: { name: 'Harbour' } });
	await page.goto(`${server.url}/rooms/${room.id}`);
	const box = page.getByRole('textbox', { name: 'Message' });
	for (const text of ['Lamp lit', 'Fog coming in', 'Ship sighted']) {
		await box.fill(text);
		await box.press('Enter');
	}
	await page.getByRole('log', { name: 'Messages' }).getByText('Ship sighted').waitFor();
	for (const preset of ['desktop', 'mobile'] as const) all.push((await audit(`/rooms/${room.id}`, preset)).scores);

	let gzipBytes = 0;
	for (const url of new Set(lobbyScripts)) gzipBytes += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer()), { level: 9 }).length;

	const lowest = (key: keyof Scores) => Math.min(...all.map((s) => s[key]));
	console.log(
		JSON.stringify({
			name: 'lighthouse',
			performance: lowest('performance'),
			accessibility: lowest('accessibility'),
			best_practices: lowest('best_practices'),
			lobby_js_gzip_bytes: gzipBytes,
			lobby_js_files: new Set(lobbyScripts).size
		})
	);
} finally {
	await context.close();
	await server.stop();
}
