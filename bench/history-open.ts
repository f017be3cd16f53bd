// Opening a room with a long history, now that a room's history is one document per month
// (src/lib/core/chat/period.ts). Three rooms, written by six members with edits, replies, reactions,
// deletions and a Yjs client id per session (bench/support/history-room.ts), stored straight into a
// stopped server's SQLite database as the server keeps them (a snapshot per month, the message and
// search indexes filled):
//   1k    1,000 messages, all this month: the floor (page, service worker, IndexedDB, rendering)
//   1m    1,000,000 messages over ten years (100,000 a year, "a busy group"): 121 months of ~8,300
//   busy  100,000 messages all this month: the largest month a room is likely to have
// The month a room opens on holds a full month's share whatever the day of the month the run is on
// (the last 30 days are written into this month so far).
//
// Figures (ms unless the name says otherwise):
//   open_<room>_ms           Chromium, offline, reload of the room page (service worker + IndexedDB)
//                            until the newest message's text is painted in the "Messages" log;
//                            median of RUNS, the rooms taking turns; open_1m_vs_1k is their ratio
//   open_<room>_<phase>_ms   where that went: page (until the month's IndexedDB is opened), idb_read,
//                            apply (Y.applyUpdate), list (until the log is shown), newest (painted)
//   open_<room>_cold_ms      the same with the browser restarted (cold service worker and IndexedDB)
//   first_open_<room>_ms     a device's first, online open (the month arrives over the WebSocket)
//   scrollback_month_ms      in the 1m room, online, scrolled back two months (the month before this
//                            one is short: its last 30 days went to this one): from that month's
//                            IndexedDB open until, a screen further up, its last day shows in
//                            the log (it comes from the server: this device never had it);
//                            scrollback_month_listed_ms until it is in the list above the place kept
//   server_load_<room>_ms    a stock y-websocket client opening the room as the app does (main
//                            document + this month) when the server has it unloaded, until both are
//                            synced; median of SERVER_RUNS; server_month_load_<room>_ms is the
//                            server's own `sync.room_loaded` figure for the month
//   event_loop_max_stall_ms  the server's largest event-loop delay (monitorEventLoopDelay, through
//                            /metrics) while two people chat in the 1k room and, in the 1m room,
//                            someone opens this month and three older ones, writes 250 messages
//                            (compaction after 200) and leaves (compaction at unload);
//                            event_loop_max_stall_busy_ms the same for the busy room;
//                            chat_during_load_p99_ms the chat's latency meanwhile
// Needs `npm run build` first. RUNS (default 5), COLD_RUNS (default 2), SERVER_RUNS (default 5).
// Building and storing the rooms takes about two minutes, the whole run about five.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { documentName, periodOf, periodStart, previousPeriod } from '../src/lib/core/chat/period.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium.ts';
import { indexedDbUsage, instrumentContext, waitForPainted, waitUntilKeptOffline, type OpenMarks, type OpenTarget } from './support/history-browser.ts';
import { buildHistoryMonths, finishHistoryMonths, storeHistoryMonth, type HistoryMonth, type HistoryRoom } from './support/history-room.ts';
import { call, eventLoopMaxMs, openRoom, startServer, stopServer, type Server } from './support/history-server.ts';
import { closeClients, newErrors, openClient, percentile, sendMessage, waitFor, type BenchUser, type Client } from './support/sync-clients.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 2);
const SERVER_RUNS = Number(process.env.SERVER_RUNS ?? 5);
/** SCALE=0.01 builds rooms a hundred times smaller, to try the benchmark out quickly (the figures then mean nothing). */
const SCALE = Number(process.env.SCALE ?? 1);
const ROOMS = [
	{ label: '1k', count: 1_000, spanDays: 30, seed: 1 },
	{ label: '1m', count: Math.round(1_000_000 * SCALE), spanDays: 3650, seed: 1000 },
	{ label: 'busy', count: Math.round(100_000 * SCALE), spanDays: 30, seed: 100 }
] as const;
type Label = (typeof ROOMS)[number]['label'];
const MEMBERS = ['Ada Bench', 'Bo Okafor', 'Chen Silva', 'Dara Tanaka', 'Emil Berg', 'Fatima Haddad'];
const OPEN_TIMEOUT_MS = 180_000;
const METRICS_TOKEN = 'history-open-benchmark-metrics';

const log = (...args: unknown[]) => console.error('[history-open]', ...args);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function launch(userDataDir: string, offline: boolean): Promise<BrowserContext> {
	return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, offline, viewport: { width: 1280, height: 800 } });
}

/** The figures one open yields, in ms: total and where it went. */
function phases(m: OpenMarks): Record<string, number> {
	const need = (name: keyof OpenMarks) => {
		const value = m[name];
		if (typeof value !== 'number') throw new Error(`the open has no "${name}" mark: ${JSON.stringify(m)}`);
		return value;
	};
	return {
		total: need('painted'),
		page: need('idbOpen'),
		idb_read: need('readEnd') - need('idbOpen'),
		apply: need('applied') - need('readEnd'),
		list: need('logShown') - need('applied'),
		newest: need('painted') - need('logShown')
	};
}

/** What a room is, once stored: its months as the bench needs them. */
type Room = {
	label: Label;
	id: string;
	count: number;
	stats: HistoryRoom['stats'];
	months: number;
	bytes: number;
	/** This month: where the room opens. */
	current: Omit<HistoryMonth, 'update' | 'index' | 'clients'> & { bytes: number };
	/** The months before it, newest first (period, newest message, bytes). */
	older: { period: string; text: string; bytes: number }[];
};

/**
 * Scrolls the room's log back until the app opens the given month; then, without scrolling, waits
 * until that month is in the list above the place kept (the log's scroll height has grown by
 * 1,000 px since the month's database opened), scrolls up a screen once and waits until the month's last day
 * shows (its day separator names the month). Returns the ms from the month's IndexedDB open to
 * then, and to the month in the list.
 */
async function scrollBack(page: Page, dbName: string, period: string): Promise<{ shownMs: number; listedMs: number }> {
	const deadline = Date.now() + OPEN_TIMEOUT_MS;
	const opened = () => page.evaluate((db) => (window as unknown as { __history: OpenMarks }).__history.opened[db], dbName);
	let at: number | undefined;
	while ((at = await opened()) === undefined) {
		if (Date.now() > deadline) throw new Error(`scrolling back never opened ${dbName}`);
		await page.evaluate(() => document.querySelector('[role="log"][aria-label="Messages"]')?.scrollTo({ top: 0 }));
		await sleep(50);
	}
	// As it was when the month's database opened (the month may well be in the list before this looks).
	const before = await page.evaluate((db) => (window as unknown as { __history: OpenMarks }).__history.heightAtOpen[db], dbName);
	const listed = await page.waitForFunction(
		(before) => (document.querySelector('[role="log"][aria-label="Messages"]')!.scrollHeight > before + 1000 ? performance.now() : false),
		before,
		{ polling: 'raf', timeout: OPEN_TIMEOUT_MS }
	);
	const listedAt = (await listed.jsonValue()) as number;
	// The page's locale is Chromium's default, en-US: day separators read e.g. "Tuesday, November 3".
	const month = new Date(periodStart(period)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
	await page.evaluate(() => {
		const log = document.querySelector('[role="log"][aria-label="Messages"]')!;
		log.scrollBy({ top: -log.clientHeight });
	});
	// Shown: a day of the month, or a message of it (a day of a big month is longer than a screen, so its separator may
	// well be out of the list's view, and the list draws only what is in view).
	const shown = await page.waitForFunction(
		({ month, period }) => {
			const log = document.querySelector('[role="log"][aria-label="Messages"]')!;
			for (const day of log.querySelectorAll('[role="separator"]')) if (day.textContent?.includes(month)) return performance.now();
			return log.querySelector(`article time[datetime^="${period}"]`) ? performance.now() : false;
		},
		{ month, period },
		{ polling: 'raf', timeout: 30_000 }
	);
	return { shownMs: ((await shown.jsonValue()) as number) - at, listedMs: listedAt - at };
}

/**
 * Two people chatting in a small room (one writes every 50 ms, the other times each message's
 * arrival) while `load` runs; returns the server's largest event-loop delay meanwhile and the chat's latencies.
 */
async function stallDuring(server: Server, small: { id: string; period: string }, users: BenchUser[], load: () => Promise<void>) {
	const errors = newErrors();
	const wsUrl = `${server.url.replace(/^http/, 'ws')}/sync`;
	const [writer, reader] = [openClient(wsUrl, `${small.id}/${small.period}`, users[0], errors), openClient(wsUrl, `${small.id}/${small.period}`, users[1], errors)];
	await waitFor(() => writer.provider.synced && reader.provider.synced, 30_000, 'the chatters to sync');
	const sent = new Map<string, number>();
	const latencies: number[] = [];
	reader.messages.observe((event) => {
		for (const key of event.keysChanged) {
			const at = sent.get(key);
			if (at === undefined) continue;
			latencies.push(performance.now() - at);
			sent.delete(key);
		}
	});
	let chatting = true;
	const chat = (async () => {
		for (let i = 0; chatting; i++) {
			sent.set(sendMessage(writer, `chatting during the load #${i}`), performance.now());
			await sleep(50);
		}
	})();
	await sleep(1000);
	await eventLoopMaxMs(server, METRICS_TOKEN);
	await load();
	await sleep(500);
	const maxMs = await eventLoopMaxMs(server, METRICS_TOKEN);
	chatting = false;
	await chat;
	closeClients([writer, reader], errors);
	if (errors.details.length) throw new Error(`chatting: ${errors.details.join('; ')}`);
	return { maxMs, chatP99Ms: percentile(latencies, 0.99), chatMaxMs: Math.max(...latencies), chatMessages: latencies.length };
}

/** Someone opens the room's month and three older ones, writes 250 messages to this month, and leaves. */
async function busyWithRoom(server: Server, room: Room, user: BenchUser): Promise<void> {
	const from = server.lines.length;
	const errors = newErrors();
	const wsUrl = `${server.url.replace(/^http/, 'ws')}/sync`;
	const clients: Client[] = [openClient(wsUrl, room.id, user, errors), openClient(wsUrl, `${room.id}/${room.current.period}`, user, errors)];
	await waitFor(() => clients.every((c) => c.provider.synced), 60_000, `${room.label} to sync`);
	for (const older of room.older.slice(0, 3)) {
		const client = openClient(wsUrl, `${room.id}/${older.period}`, user, errors);
		clients.push(client);
		await waitFor(() => client.provider.synced, 60_000, `${room.label} ${older.period} to sync`);
	}
	for (let i = 0; i < 250; i++) {
		sendMessage(clients[1], `one of 250 more #${i}`);
		await sleep(2);
	}
	const compacted = () => server.lines.slice(from).some((line) => line.includes('"sync.compacted"') && line.includes(room.id) && line.includes(`"period":"${room.current.period}"`));
	await waitFor(compacted, 60_000, `${room.label} to compact after 200 updates`);
	closeClients(clients, errors);
	if (errors.details.length) throw new Error(`${room.label}: ${errors.details.join('; ')}`);
	const unloaded = () => server.lines.slice(from).filter((line) => line.includes('"sync.room_unloaded"') && line.includes(room.id)).length;
	await waitFor(() => unloaded() >= clients.length, 30_000, `${room.label} to unload`);
}

const loadAtStart = Math.round(loadavg()[0] * 100) / 100;
const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-history-'));
const userDataDir = mkdtempSync(join(tmpdir(), 'parley-bench-history-chromium-'));
// The chat during the load writes 20 updates a second and the loader 250 at once: above what one person may write by default.
const env = { METRICS_TOKEN, SYNC_UPDATES_PER_MINUTE: '100000', SYNC_BYTES_PER_MINUTE: String(64 * 1024 * 1024) };
let server: Server | undefined;
let context: BrowserContext | undefined;
try {
	// 1. Accounts and rooms through the API (migrations run on this first start).
	server = await startServer(dataDir, env);
	const people: BenchUser[] = [];
	for (const [i, name] of MEMBERS.entries()) {
		const { json, cookies } = await call(server, 'POST', '/api/auth/sign-up/email', { name, email: `history${i}@parley.test`, password: `history benchmark ${i}` });
		const cookie = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('better-auth.session_token='));
		if (!cookie) throw new Error(`sign-up of ${name} set no session cookie`);
		people.push({ id: (json as { user: { id: string } }).user.id, name, cookie });
	}
	const me = people[0];
	const ids: string[] = [];
	for (const size of ROOMS) {
		const { json } = await call(server, 'POST', '/api/rooms', { name: `History ${size.label}`, memberIds: people.slice(1).map((p) => p.id) }, me.cookie);
		const id = (json as { id: string }).id;
		// Being added is an invitation: each accepts.
		for (const p of people.slice(1)) await call(server, 'POST', `/api/invitations/${id}`, undefined, p.cookie);
		ids.push(id);
	}
	await stopServer(server);
	server = undefined;

	// 2. The months, each stored as the server keeps it while the server is stopped.
	const db = new DatabaseSync(join(dataDir, 'parley.sqlite'));
	db.exec('pragma journal_mode = wal; pragma synchronous = normal;');
	const end = Date.now() - 60_000;
	const thisMonth = periodOf(end);
	const rooms: Room[] = [];
	for (const [i, size] of ROOMS.entries()) {
		const started = performance.now();
		const months: { period: string; text: string; bytes: number }[] = [];
		let current: Room['current'] | undefined;
		let bytes = 0;
		let first = Infinity;
		const stats = buildHistoryMonths({ count: size.count, authors: people.map((p) => p.id), spanDays: size.spanDays, seed: size.seed, end, fullCurrentMonth: true }, (month) => {
			storeHistoryMonth(db, ids[i], month);
			bytes += month.update.byteLength;
			first = Math.min(first, ...month.index.slice(0, 1).map((m) => m.createdAt));
			months.push({ period: month.period, text: month.latest.text, bytes: month.update.byteLength });
			if (month.period === thisMonth) current = { period: month.period, latest: month.latest, messages: month.messages, bytes: month.update.byteLength };
		});
		if (!current) throw new Error(`room ${size.label} has nothing in ${thisMonth}`);
		finishHistoryMonths(db, ids[i], first, end);
		// The bench's reader has read the room (an unread room opens at its first unread message, not its newest).
		db.prepare('update room_member set lastReadAt = ? where roomId = ? and userId = ?').run(end, ids[i], me.id);
		const older = months.filter((m) => m.period < thisMonth).reverse();
		rooms.push({ label: size.label, id: ids[i], count: size.count, stats, months: months.length, bytes, current, older });
		log(`room ${size.label}: ${months.length} months, ${bytes} bytes, this month ${current.messages} messages in ${current.bytes} bytes, ${JSON.stringify(stats)}, built and stored in ${round(performance.now() - started)} ms`);
	}
	db.close();
	const byLabel = Object.fromEntries(rooms.map((r) => [r.label, r])) as Record<Label, Room>;
	const big = byLabel['1m'];
	if (big.older[1]?.period !== previousPeriod(previousPeriod(thisMonth))) throw new Error(`the 1m room has no whole month before ${previousPeriod(thisMonth)}`);

	// 3. Chromium: a first visit online (a new device: the month over the WebSocket), then offline opens.
	server = await startServer(dataDir, env);
	const monthDb = (r: Room, period = r.current.period) => `parley-room-${documentName(r.id, period)}`;
	const targets: Record<string, OpenTarget> = Object.fromEntries(rooms.map((r) => [r.id, { text: r.current.latest.text, db: monthDb(r) }]));
	const cookie = { name: 'better-auth.session_token', value: me.cookie.slice(me.cookie.indexOf('=') + 1), url: server.url, httpOnly: true, sameSite: 'Lax' as const };
	context = await launch(userDataDir, false);
	await context.addCookies([cookie]);
	await instrumentContext(context, targets);
	const lobby: Page = context.pages()[0] ?? (await context.newPage());
	const answered = async (page: Page, url: string) => {
		const response = await page.goto(url);
		if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}: is the build complete?`);
	};
	// The service worker is installed from the lobby first, so that the opens below are a new device's
	// first look at each room, not the app's first start.
	await answered(lobby, `${server.url}/`);
	await lobby.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
	const firstOpen: Partial<Record<Label, OpenMarks>> = {};
	const idb: Partial<Record<Label, number>> = {};
	const pages: Partial<Record<Label, Page>> = {};
	let usedBefore = Math.max(0, await indexedDbUsage(lobby));
	for (const r of rooms) {
		const page = (pages[r.label] = await context.newPage());
		await answered(page, `${server.url}/rooms/${r.id}`);
		firstOpen[r.label] = await waitForPainted(page, OPEN_TIMEOUT_MS);
		log(`first online open ${r.label}: ${JSON.stringify(firstOpen[r.label])}`);
		const opened = Object.keys(firstOpen[r.label]!.opened).filter((name) => name.startsWith(`parley-room-${r.id}/`));
		if (opened.length !== 1) throw new Error(`the first open of ${r.label} opened ${opened.join(', ')}: only this month was expected`);
		await waitUntilKeptOffline(page, monthDb(r), r.current.bytes, OPEN_TIMEOUT_MS);
		const used = await indexedDbUsage(page);
		idb[r.label] = used - usedBefore;
		usedBefore = used;
	}
	// Scrolling back in the big room, online: the month before comes from the server.
	// The month before this one lost its last 30 days to it (fullCurrentMonth): the one before that is whole.
	const whole = big.older[1];
	const scrollback = await scrollBack(pages['1m']!, monthDb(big, whole.period), whole.period);
	log(`scroll back to ${whole.period} in the 1m room: ${JSON.stringify(scrollback)}`);

	// Offline reloads, one page per room, taking turns so that whatever else the machine does falls
	// on every room alike; the first round is a warm-up.
	await context.setOffline(true);
	const warm: Record<Label, Record<string, number>[]> = { '1k': [], '1m': [], busy: [] };
	for (let i = 0; i <= RUNS; i++) {
		for (const r of rooms) {
			const page = pages[r.label]!;
			await page.bringToFront();
			await page.reload();
			const marks = await waitForPainted(page, OPEN_TIMEOUT_MS);
			// (navigator.onLine may still say true on a reloaded page: Chromium applies the context's emulated network to its requests, not always to that flag.)
			if (marks.bigMessage !== undefined) throw new Error('the offline page received a document over the network');
			if ((marks.readBytes ?? 0) < r.current.bytes) throw new Error(`the open read ${marks.readBytes} bytes from IndexedDB, expected ${r.current.bytes}`);
			if (i === 0) continue;
			warm[r.label].push(phases(marks));
			log(`offline reload ${r.label} #${i}: ${JSON.stringify(warm[r.label].at(-1))} (${marks.readCount} updates read)`);
		}
	}
	await context.close();
	context = undefined;

	// Browser restarted with no network: cold service worker, cold IndexedDB.
	const cold: Record<Label, Record<string, number>[]> = { '1k': [], '1m': [], busy: [] };
	for (let i = 0; i < COLD_RUNS; i++) {
		for (const r of rooms) {
			context = await launch(userDataDir, true);
			await instrumentContext(context, targets);
			const coldPage = context.pages()[0] ?? (await context.newPage());
			await coldPage.goto(`${server.url}/rooms/${r.id}`);
			cold[r.label].push(phases(await waitForPainted(coldPage, OPEN_TIMEOUT_MS)));
			log(`cold offline open ${r.label} #${i + 1}: ${JSON.stringify(cold[r.label].at(-1))}`);
			await context.close();
			context = undefined;
		}
	}

	// 4. The server: each room opened cold by a device, again and again (the JIT warm).
	const loads: Record<Label, number[]> = { '1k': [], '1m': [], busy: [] };
	const monthLoads: Record<Label, number[]> = { '1k': [], '1m': [], busy: [] };
	for (let i = 0; i < SERVER_RUNS; i++) {
		for (const r of rooms) {
			const { ms, loadedMs } = await openRoom(server, r.id, r.current.period, me);
			loads[r.label].push(ms);
			monthLoads[r.label].push(loadedMs);
		}
	}
	log(`server loads: ${JSON.stringify(loads)}; the month's own: ${JSON.stringify(monthLoads)}`);

	// 5. The server's event loop while the big rooms load and compact and someone chats elsewhere.
	const small = { id: byLabel['1k'].id, period: thisMonth };
	const quiet = await stallDuring(server, small, people.slice(4), async () => void (await sleep(3000)));
	log(`event loop, nothing else going on: ${JSON.stringify(quiet)}`);
	const stall1m = await stallDuring(server, small, people.slice(4), () => busyWithRoom(server!, big, people[1]));
	log(`event loop, 1m room opened, written and left: ${JSON.stringify(stall1m)}`);
	const stallBusy = await stallDuring(server, small, people.slice(4), () => busyWithRoom(server!, byLabel.busy, people[2]));
	log(`event loop, busy room opened, written and left: ${JSON.stringify(stallBusy)}`);
	await stopServer(server);
	server = undefined;

	const phase = (samples: Record<string, number>[], name: string) => round(median(samples.map((s) => s[name])));
	const result: Record<string, string | number> = {
		name: 'history-open',
		messages: big.count,
		open_1m_ms: phase(warm['1m'], 'total'),
		server_load_1m_ms: round(median(loads['1m'])),
		scrollback_month_ms: round(scrollback.shownMs),
		scrollback_month_listed_ms: round(scrollback.listedMs),
		event_loop_max_stall_ms: round(stall1m.maxMs),
		open_1k_ms: phase(warm['1k'], 'total'),
		open_busy_ms: phase(warm.busy, 'total'),
		open_1m_vs_1k: Math.round((phase(warm['1m'], 'total') / phase(warm['1k'], 'total')) * 100) / 100,
		server_load_1k_ms: round(median(loads['1k'])),
		server_load_busy_ms: round(median(loads.busy)),
		event_loop_max_stall_busy_ms: round(stallBusy.maxMs),
		event_loop_max_stall_quiet_ms: round(quiet.maxMs),
		chat_during_load_p99_ms: round(stall1m.chatP99Ms),
		chat_during_busy_load_p99_ms: round(stallBusy.chatP99Ms),
		chat_quiet_p99_ms: round(quiet.chatP99Ms),
		runs: RUNS,
		cold_runs: COLD_RUNS,
		server_runs: SERVER_RUNS,
		// Other work on the machine shows in every figure; this says how busy it was.
		loadavg_start_1min: loadAtStart,
		loadavg_end_1min: Math.round(loadavg()[0] * 100) / 100
	};
	for (const r of rooms) {
		const suffix = r.label;
		result[`months_${suffix}`] = r.months;
		result[`doc_bytes_${suffix}`] = r.bytes;
		result[`month_bytes_${suffix}`] = r.current.bytes;
		result[`month_messages_${suffix}`] = r.current.messages;
		result[`server_month_load_${suffix}_ms`] = round(median(monthLoads[r.label]));
		result[`idb_bytes_${suffix}`] = idb[r.label] ?? -1;
		for (const name of ['page', 'idb_read', 'apply', 'list', 'newest']) result[`open_${suffix}_${name}_ms`] = phase(warm[r.label], name);
		result[`open_${suffix}_cold_ms`] = phase(cold[r.label], 'total');
		const m = firstOpen[r.label]!;
		result[`first_open_${suffix}_ms`] = round(m.painted!);
	}
	result.scrollback_month_bytes = big.older[1].bytes;
	result.yjs_clients_1m = big.stats.clients;
	console.log(JSON.stringify(result));
} catch (error) {
	console.error(`bench history-open: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exitCode = 1;
	// What each page showed when it went wrong.
	for (const [i, page] of (context?.pages() ?? []).entries()) {
		const file = join(tmpdir(), `history-open-failed-${i}.png`);
		if (await page.screenshot({ path: file }).catch(() => undefined)) console.error(`bench history-open: page ${page.url()} is in ${file}`);
	}
} finally {
	if (context) await context.close().catch(() => {});
	if (server) await stopServer(server);
	rmSync(dataDir, { recursive: true, force: true });
	rmSync(userDataDir, { recursive: true, force: true });
}
