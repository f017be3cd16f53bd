import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { CALL_UI_MS, REMOTE_VIDEO_MS, SWITCH_FREEZE_MS } from './support/bounds.ts';
import { createRoomWith, joinCall, signUpInBrowser, type SignedUp } from './support/ui.ts';
import { OWN_CAMERA, watchFreezes } from './support/video.ts';

/** A WAV file: a steady tone (someone talking, so Janus sends `talking` events) or silence. */
function wav(name: string, volume: number) {
	const file = join(mkdtempSync(join(tmpdir(), 'parley-audio-')), `${name}.wav`);
	execFileSync('sox', ['-n', '-r', '48000', '-c', '1', file, 'synth', '60', 'sine', '440', 'vol', String(volume)]);
	return file;
}

const participants = (page: Page) => page.getByRole('list', { name: 'Participants' });
const tile = (page: Page, name: string) => participants(page).getByRole('listitem', { name: new RegExp(`^${name}`) });
const route = (page: Page) => page.getByRole('status', { name: 'Call route' });

/** Whether the video in someone's tile presents a new frame within a second. */
const freshFrame = (page: Page, name: string) =>
	tile(page, name)
		.locator('video')
		.evaluate((v: HTMLVideoElement) => new Promise<boolean>((resolve) => {
			v.requestVideoFrameCallback(() => resolve(true));
			setTimeout(() => resolve(false), 1000);
		}), undefined, { timeout: 2000 })
		.catch(() => false);

/** Waits until `page` receives fresh video from each of `names`. */
async function seesVideoOf(page: Page, names: string[], timeout = REMOTE_VIDEO_MS) {
	await Promise.all(names.map((name) => expect.poll(() => freshFrame(page, name), { timeout, intervals: [100], message: `${name}'s video on this page` }).toBe(true)));
}

test.describe('calls of five and more, on the Janus SFU', () => {
	test.skip(!existsSync('/usr/bin/janus'), 'janus is not installed (./parley test installs it)');
	test.describe.configure({ mode: 'serial' });

	let server: RunningServer;
	let browsers: Browser[] = [];
	const pages: Page[] = [];
	const people: SignedUp[] = [];

	test.beforeAll(async () => {
		test.setTimeout(120_000);
		server = await startServer({ SFU: 'auto', JANUS_RTP_PORTS: '42000-42400', SIGNIN_RATE_LIMIT: '1000' });
		// Two people have a tone for a microphone (they can be heard talking), the others silence.
		const [tone, silence] = [wav('talking', 0.8), wav('quiet', 0)];
		browsers = await Promise.all(
			[tone, silence].map((audio) => chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${audio}`] }))
		);
		for (let i = 0; i < 6; i++) {
			const context = await browsers[i < 2 ? 0 : 1].newContext({ baseURL: server.url });
			// 320×240 so that six fit on two cores.
			await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
			const page = await context.newPage();
			people.push(await signUpInBrowser(page, `Member${i + 1}`));
			pages.push(page);
		}
		await createRoomWith(pages[0], 'Big call', people.slice(1));
		for (const page of pages.slice(1)) await page.goto(pages[0].url());
	});

	test.afterAll(async () => {
		await Promise.all(browsers.map((b) => b.close()));
		expect(await server?.stop()).toBe(0);
	});

	test('four talk peer-to-peer; the fifth moves everyone to the SFU without stopping the video; a sixth joins; the speaker is whoever talks', async () => {
		test.setTimeout(480_000);
		const names = people.map((p) => p.name);
		const [a, b, c, d, e, f] = pages;
		await joinCall(a);
		// B has a tone too, but joins muted: only A can be heard at first.
		await b.getByRole('button', { name: 'Join call' }).click();
		await b.getByRole('checkbox', { name: 'Join muted' }).check();
		await b.getByRole('group', { name: 'Before joining' }).getByRole('button', { name: 'Join', exact: true }).click();
		for (const page of [c, d]) await joinCall(page);
		for (const [i, page] of [a, b, c, d].entries()) await seesVideoOf(page, names.slice(0, 4).filter((_, j) => j !== i));
		await expect(route(d)).toHaveText('Peer-to-peer', { timeout: CALL_UI_MS });

		// The fifth joins: the server moves the call to the SFU; everyone's video keeps coming meanwhile.
		const freezes = await watchFreezes(d, true);
		await joinCall(e);
		for (const page of [a, b, c, d, e]) await expect(route(page)).toHaveText('Through the server', { timeout: REMOTE_VIDEO_MS });
		for (const [i, page] of [a, b, c, d, e].entries()) await seesVideoOf(page, names.slice(0, 5).filter((_, j) => j !== i));
		const gaps = await freezes();
		console.log('longest remote freeze on D during the switch (ms):', JSON.stringify(gaps));
		// Here the freeze is 0.3–1.2 s on a quiet machine; on a loaded one D's whole page stalls now and then
		// (8–12 s seen, its own camera tile as long), which is the machine, not the switch. So a freeze counts
		// beyond D's own stall, and SWITCH_FREEZE_MS leaves room for a slower CI machine; `npm run bench -- sfu`
		// measures the freeze against the 1 s aim.
		const pageStall = gaps[OWN_CAMERA] ?? 0;
		for (const name of names.slice(0, 3)) expect((gaps[name] ?? Infinity) - pageStall, name).toBeLessThan(SWITCH_FREEZE_MS);

		// A sixth joins the call on the SFU directly.
		await joinCall(f);
		await expect(route(f)).toHaveText('Through the server', { timeout: REMOTE_VIDEO_MS });
		await seesVideoOf(f, names.slice(0, 5));
		await seesVideoOf(a, [names[5]]);
		await expect(participants(a).getByRole('listitem')).toHaveCount(6);

		// Janus' talking events: A is the speaker; then A mutes and B speaks, and B is.
		await expect(tile(c, names[0])).toHaveAttribute('aria-current', 'true', { timeout: REMOTE_VIDEO_MS });
		await expect(tile(c, names[1])).not.toHaveAttribute('aria-current', 'true');
		await a.getByRole('button', { name: 'Mute microphone' }).click();
		await b.getByRole('button', { name: 'Unmute microphone' }).click();
		await expect(tile(c, names[1])).toHaveAttribute('aria-current', 'true', { timeout: REMOTE_VIDEO_MS });
		await expect(tile(c, names[0])).not.toHaveAttribute('aria-current', 'true');

		// A shared screen is a feed of its own, in a presentation tile of its own that the stage features; C's camera stays in C's tile.
		await c.getByRole('button', { name: 'Share screen' }).click();
		await expect(c.getByRole('button', { name: 'Stop sharing' })).toBeVisible();
		const videoWidth = (locator: Locator) => locator.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth);
		const presentation = participants(a).getByRole('listitem', { name: `${names[2]} (presentation)`, exact: true });
		const camera = participants(a).getByRole('listitem', { name: names[2], exact: true });
		await expect.poll(() => videoWidth(presentation), { timeout: REMOTE_VIDEO_MS }).toBeGreaterThan(320);
		await expect.poll(() => videoWidth(camera), { timeout: REMOTE_VIDEO_MS }).toBeGreaterThan(0);
		expect(await videoWidth(camera)).toBeLessThanOrEqual(320);
		const [big, small] = await Promise.all([presentation.boundingBox(), camera.boundingBox()]);
		expect(big!.width * big!.height).toBeGreaterThan(2 * small!.width * small!.height);
		await a.screenshot({ path: test.info().outputPath('presentation.png') });
		// People still counts six people, not seven.
		await expect(a.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'People' })).toContainText('6');
		await c.getByRole('button', { name: 'Stop sharing' }).click();
		await expect(presentation).toHaveCount(0, { timeout: REMOTE_VIDEO_MS });
		await expect(camera).toBeVisible();

		// The sixth leaves; five stay on the SFU.
		await f.getByRole('button', { name: 'Leave call' }).click();
		await expect(participants(a).getByRole('listitem')).toHaveCount(5);
	});

	test('Janus killed mid-call: it is restarted and everyone is back', async () => {
		test.setTimeout(120_000);
		const names = people.slice(0, 5).map((p) => p.name);
		const inCall = pages.slice(0, 5);
		const pid = Number(readFileSync(join(server.dataDir, 'janus', 'janus.pid'), 'utf8'));
		const killedAt = Date.now();
		process.kill(pid, 'SIGKILL');
		// Their tiles say the call is reconnecting (until the next videoroom carries them)…
		await expect(tile(inCall[0], names[1]).getByText('Reconnecting…')).toBeVisible({ timeout: REMOTE_VIDEO_MS });
		// The server notices, restarts Janus and gives the call a new videoroom…
		await expect.poll(() => server.output().includes('"call.sfu_room_renewed"'), { timeout: REMOTE_VIDEO_MS }).toBe(true);
		expect(Number(readFileSync(join(server.dataDir, 'janus', 'janus.pid'), 'utf8'))).not.toBe(pid);
		// …and everyone receives fresh video from everyone else again, through the new Janus.
		// (How fast is for a benchmark: within 10 s on a quiet machine, over 10 s on a loaded one, which failed CI.)
		await Promise.all(inCall.map((page, i) => seesVideoOf(page, names.filter((_, j) => j !== i))));
		console.log('back after Janus was killed (ms):', Date.now() - killedAt);
		for (const page of inCall) await expect(route(page)).toHaveText('Through the server');
		for (const page of inCall) await expect(participants(page).getByText('Reconnecting…')).toHaveCount(0);
	});

	test('someone who leaves just as another joins does not stop the joiner receiving everyone else', async () => {
		test.setTimeout(120_000);
		const names = people.slice(0, 5).map((p) => p.name);
		const f = pages[5];
		// Between F learning of a publisher and asking Janus for its feed, that publisher leaves. Janus then
		// refuses F's whole subscription ("No such feed"). The race is made certain at F's /sfu socket:
		// Janus' 'joined' answer lists one more publisher, whose leaving F hears the moment it asks for it.
		const ghost = 4_242_424_242;
		let refused = '';
		await f.routeWebSocket((url) => url.pathname === '/sfu', (ws) => {
			const janus = ws.connectToServer();
			let publisherHandle: { session_id: number; sender: number; room: number } | null = null;
			janus.onMessage((raw) => {
				const message = JSON.parse(String(raw));
				const data = message.plugindata?.data;
				if (data?.videoroom === 'joined' && data.publishers && !publisherHandle) {
					publisherHandle = { session_id: message.session_id, sender: message.sender, room: data.room };
					// Named as the proxy names feeds (<tag>@<userId>), after a member, so that F asks for it.
					const member = String(data.publishers[0]?.display ?? '').split('@')[1] ?? 'someone';
					data.publishers.push({ id: ghost, display: `someone-leaving@${member}`, streams: [] });
				}
				if (data?.error?.includes(String(ghost))) refused = data.error;
				ws.send(JSON.stringify(message));
			});
			ws.onMessage((raw) => {
				const message = JSON.parse(String(raw));
				janus.send(String(raw));
				const asks = message.body?.ptype === 'subscriber' || message.body?.request === 'subscribe';
				if (asks && publisherHandle && JSON.stringify(message.body.streams).includes(String(ghost))) {
					const { session_id, sender, room } = publisherHandle;
					ws.send(JSON.stringify({ janus: 'event', session_id, sender, plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'event', room, unpublished: ghost } } }));
				}
			});
		});
		// Routing wraps the page's WebSocket; janus.js keeps the one it found when it loaded, so load afresh.
		await f.reload();
		await joinCall(f);
		await expect(route(f)).toHaveText('Through the server', { timeout: REMOTE_VIDEO_MS });
		await seesVideoOf(f, names);
		expect(refused).toContain('No such feed');
		await f.getByRole('button', { name: 'Leave call' }).click();
		await expect(participants(pages[0]).getByRole('listitem')).toHaveCount(5);
	});

	test('at three for 30 s the call goes back to peer-to-peer, video still flowing, and the videoroom goes', async () => {
		test.setTimeout(120_000);
		const names = people.slice(0, 3).map((p) => p.name);
		const [a, b, c, d, e] = pages;
		for (const page of [d, e]) await page.getByRole('button', { name: 'Leave call' }).click();
		await expect(participants(a).getByRole('listitem')).toHaveCount(3);
		// Not before 30 s: a call that shrinks for a moment does not flap.
		await a.waitForTimeout(20_000);
		await expect(route(a)).toHaveText('Through the server');
		for (const page of [a, b, c]) await expect(route(page)).toHaveText('Peer-to-peer', { timeout: 40_000 });
		for (const [i, page] of [a, b, c].entries()) await seesVideoOf(page, names.filter((_, j) => j !== i));
		await expect.poll(() => server.output().includes('"sfu.room_destroyed"'), { timeout: 30_000 }).toBe(true);
		for (const [i, page] of [a, b, c].entries()) await seesVideoOf(page, names.filter((_, j) => j !== i));
	});
});
