// Opening a room with a long history: rooms of 1,000, 10,000 and 100,000 messages
// (bench/support/history-room.ts: six members writing over 1, 3 and 12 months, with edits, replies,
// reactions, deletions and a fresh Yjs client id per session), stored straight into a stopped
// server's SQLite database. Measures
//   doc_bytes                  the room document (Y.encodeStateAsUpdate), as stored and as synced
//   server_load_ms             the server loading the document when someone connects to a room that is
//                              not in memory (its own `sync.room_loaded` log line); median of SERVER_RUNS
//                              connect / disconnect / unload cycles in the running server
//   open_10k_ms, open_100k_ms  Chromium, offline, reload of the room page (service worker + IndexedDB)
//                              until the newest message's text is painted in the "Messages" log; median of RUNS
// and more: where the open's time goes (page → IndexedDB read → Y.applyUpdate → list shown → newest
// painted), a cold browser, a new device's first online open, IndexedDB on disk, and the same work
// timed in Node (bench/support/history-node.ts: server load, compaction, the app's RoomChat).
// Needs `npm run build` first. RUNS (default 5) offline reloads, COLD_RUNS (default 2) browser
// restarts and SERVER_RUNS (default 5) server loads per room. Takes about a minute and a half.
// PROFILE_DIR=<folder> also profiles one offline open of the 100k room in Chromium (see the end of stderr).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/support/chromium.ts';
import { indexedDbUsage, instrumentContext, profileReload, summariseProfile, waitForPainted, waitUntilKeptOffline, type OpenMarks } from './support/history-browser.ts';
import { buildHistoryRoom, storeHistoryRoom, type HistoryRoom } from './support/history-room.ts';
import { call, serverLoad, startServer, stopServer, type Server } from './support/history-server.ts';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.RUNS ?? 5);
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 2);
const SERVER_RUNS = Number(process.env.SERVER_RUNS ?? 5);
/** When set, a folder for a CPU profile of one more offline open of the 100k room, summarised on stderr. */
const PROFILE_DIR = process.env.PROFILE_DIR;
// 1k: the floor (page, service worker, IndexedDB, rendering with little history); 10k: the aim, and
// about one month of the 100k room (what opening one document per month would cost).
const SIZES = [
	{ label: '1k', count: 1_000, spanDays: 30, seed: 1, node: false },
	{ label: '10k', count: 10_000, spanDays: 90, seed: 10, node: true },
	{ label: '100k', count: 100_000, spanDays: 365, seed: 100, node: true }
] as const;
const MEMBERS = ['Ada Bench', 'Bo Okafor', 'Chen Silva', 'Dara Tanaka', 'Emil Berg', 'Fatima Haddad'];
const OPEN_TIMEOUT_MS = 180_000;

const log = (...args: unknown[]) => console.error('[history-open]', ...args);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x);

/** The Node-side figures for one room, from a fresh process (see bench/support/history-node.ts). */
function nodeFigures(file: string, roomId: string, userId: string): Record<string, number> {
	const run = spawnSync(process.execPath, ['--expose-gc', '--no-warnings', join(import.meta.dirname, 'support/history-node.ts'), file, roomId, userId], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 16 * 1024 * 1024
	});
	if (run.status !== 0) throw new Error(`history-node.ts exited with ${run.status}`);
	return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

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

const loadAtStart = Math.round(loadavg()[0] * 100) / 100;
const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-history-'));
const userDataDir = mkdtempSync(join(tmpdir(), 'parley-bench-history-chromium-'));
let server: Server | undefined;
let context: BrowserContext | undefined;
try {
	// 1. Accounts and rooms through the API (migrations run on this first start).
	server = await startServer(dataDir);
	const people: { id: string; cookie: string }[] = [];
	for (const [i, name] of MEMBERS.entries()) {
		const { json, cookies } = await call(server, 'POST', '/api/auth/sign-up/email', { name, email: `history${i}@parley.test`, password: `history benchmark ${i}` });
		const cookie = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('better-auth.session_token='));
		if (!cookie) throw new Error(`sign-up of ${name} set no session cookie`);
		people.push({ id: (json as { user: { id: string } }).user.id, cookie });
	}
	const me = people[0];
	const ids: string[] = [];
	for (const size of SIZES) {
		const { json } = await call(server, 'POST', '/api/rooms', { name: `History ${size.label}`, memberIds: people.slice(1).map((p) => p.id) }, me.cookie);
		const id = (json as { id: string }).id;
		// Being added is an invitation: each accepts.
		for (const p of people.slice(1)) await call(server, 'POST', `/api/invitations/${id}`, undefined, p.cookie);
		ids.push(id);
	}
	await stopServer(server);
	server = undefined;

	// 2. The documents, written as each room's snapshot while the server is stopped.
	const file = join(dataDir, 'parley.sqlite');
	const db = new DatabaseSync(file);
	const rooms: { label: string; count: number; id: string; room: HistoryRoom; node: boolean }[] = [];
	for (const [i, size] of SIZES.entries()) {
		const started = performance.now();
		const room = buildHistoryRoom({ count: size.count, authors: people.map((p) => p.id), spanDays: size.spanDays, seed: size.seed, end: Date.now() - 60_000 });
		storeHistoryRoom(db, ids[i], room);
		rooms.push({ label: size.label, count: size.count, id: ids[i], room, node: size.node });
		log(`room ${size.label}: ${room.update.byteLength} bytes, ${JSON.stringify(room.stats)}, built and stored in ${round(performance.now() - started)} ms`);
	}
	db.close();

	const byLabel = Object.fromEntries(rooms.map((r) => [r.label, r]));
	const big = byLabel['100k'];

	// 3. The same work timed in Node, each room in a fresh process.
	const node: Record<string, Record<string, number>> = {};
	for (const r of rooms.filter((r) => r.node)) {
		node[r.label] = nodeFigures(file, r.id, me.id);
		log(`node ${r.label}: ${JSON.stringify(node[r.label])}`);
	}

	// 4. Chromium: a first visit online (a new device: the whole document over the WebSocket), then offline opens.
	server = await startServer(dataDir);
	const targets = Object.fromEntries(rooms.map((r) => [r.id, r.room.latest.text]));
	const cookie = { name: 'better-auth.session_token', value: me.cookie.slice(me.cookie.indexOf('=') + 1), url: server.url, httpOnly: true, sameSite: 'Lax' as const };
	context = await launch(userDataDir, false);
	await context.addCookies([cookie]);
	await instrumentContext(context, targets);
	// The service worker is installed from the lobby first, so that the first opens below are a
	// new device's first look at each room, not the app's first start.
	const lobby: Page = context.pages()[0] ?? (await context.newPage());
	const answered = async (page: Page, url: string) => {
		const response = await page.goto(url);
		// E.g. when build/ is being rebuilt under the server.
		if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}: is the build complete?`);
	};
	await answered(lobby, `${server.url}/`);
	await lobby.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
	const firstOpen: Record<string, OpenMarks> = {};
	const idb: Record<string, number> = {};
	const pages: Record<string, Page> = {};
	let usedBefore = Math.max(0, await indexedDbUsage(lobby));
	for (const r of rooms) {
		const page = (pages[r.label] = await context.newPage());
		await answered(page, `${server.url}/rooms/${r.id}`);
		firstOpen[r.label] = await waitForPainted(page, OPEN_TIMEOUT_MS);
		log(`first online open ${r.label}: ${JSON.stringify(firstOpen[r.label])}`);
		await waitUntilKeptOffline(page, r.id, r.room.update.byteLength, OPEN_TIMEOUT_MS);
		const used = await indexedDbUsage(page);
		idb[r.label] = used - usedBefore;
		usedBefore = used;
	}
	const loaded = Object.fromEntries(
		server.lines
			.filter((line) => line.includes('"sync.room_loaded"'))
			.map((line) => JSON.parse(line) as { roomId: string; ms: number })
			.map(({ roomId, ms }) => [roomId, ms])
	);

	// Offline reloads in the running browser, one page per room, taking turns so that whatever
	// else the machine does falls on every size alike; the first round is a warm-up.
	await context.setOffline(true);
	const warm: Record<string, Record<string, number>[]> = Object.fromEntries(rooms.map((r) => [r.label, []]));
	for (let i = 0; i <= RUNS; i++) {
		for (const r of rooms) {
			const page = pages[r.label];
			await page.bringToFront();
			await page.reload();
			const marks = await waitForPainted(page, OPEN_TIMEOUT_MS);
			if (marks.online) throw new Error('the page thinks it is online');
			if ((marks.readBytes ?? 0) < r.room.update.byteLength) throw new Error(`the open read ${marks.readBytes} bytes from IndexedDB, expected ${r.room.update.byteLength}`);
			if (i === 0) continue;
			warm[r.label].push(phases(marks));
			log(`offline reload ${r.label} #${i}: ${JSON.stringify(warm[r.label].at(-1))} (${marks.readCount} updates read)`);
		}
	}
	if (PROFILE_DIR) {
		// One more offline reload of the largest room under Chromium's profiler (not counted in the figures).
		const page = pages[big.label];
		await page.bringToFront();
		const { profile, marks } = await profileReload(page, OPEN_TIMEOUT_MS);
		mkdirSync(PROFILE_DIR, { recursive: true });
		const file = join(PROFILE_DIR, `history-open-${big.label}.cpuprofile`);
		writeFileSync(file, JSON.stringify(profile));
		log(`profiled offline reload ${big.label}: ${JSON.stringify(phases(marks))}, profile in ${file} (open it in DevTools' Performance panel)`);
		const source = async (url: string) => (await fetch(url)).text();
		for (const line of await summariseProfile(profile, source)) log(line);
	}
	await context.close();
	context = undefined;

	// Browser restarted with no network: cold service worker, cold IndexedDB.
	const cold: Record<string, Record<string, number>[]> = Object.fromEntries(rooms.map((r) => [r.label, []]));
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
	// The server loading each room cold, again and again (in a running server, with the JIT warm).
	const loads: Record<string, number[]> = Object.fromEntries(rooms.map((r) => [r.label, []]));
	for (let i = 0; i < SERVER_RUNS; i++) for (const r of rooms) loads[r.label].push(await serverLoad(server, r.id, me.cookie));
	log(`server loads: ${JSON.stringify(loads)}`);
	await stopServer(server);
	server = undefined;

	const phase = (samples: Record<string, number>[], name: string) => round(median(samples.map((s) => s[name])));
	const result: Record<string, string | number> = {
		name: 'history-open',
		messages: big.count,
		server_load_ms: median(loads[big.label]),
		doc_bytes: big.room.update.byteLength,
		open_10k_ms: phase(warm['10k'], 'total'),
		open_100k_ms: phase(warm['100k'], 'total'),
		open_1k_ms: phase(warm['1k'], 'total'),
		runs: RUNS,
		cold_runs: COLD_RUNS,
		// Other work on the machine shows in every figure; this says how busy it was.
		loadavg_start_1min: loadAtStart,
		loadavg_end_1min: Math.round(loadavg()[0] * 100) / 100
	};
	for (const r of rooms.filter((r) => r !== big)) {
		result[`server_load_${r.label}_ms`] = median(loads[r.label]);
		result[`doc_bytes_${r.label}`] = r.room.update.byteLength;
	}
	for (const r of rooms) result[r === big ? 'idb_bytes' : `idb_bytes_${r.label}`] = idb[r.label];
	for (const r of rooms) result[`server_load_first_${r.label}_ms`] = loaded[r.id] ?? -1;
	result.yjs_clients = big.room.stats.clients;
	for (const r of rooms) {
		for (const name of ['page', 'idb_read', 'apply', 'list', 'newest']) result[`open_${r.label}_${name}_ms`] = phase(warm[r.label], name);
		result[`open_${r.label}_cold_ms`] = phase(cold[r.label], 'total');
		const m = firstOpen[r.label];
		result[`first_open_${r.label}_ms`] = round(m.painted!);
		result[`first_open_${r.label}_after_download_ms`] = m.bigMessage === undefined ? -1 : round(m.painted! - m.bigMessage);
	}
	for (const r of rooms.filter((r) => r.node)) {
		const n = node[r.label];
		const suffix = r === big ? '' : `_${r.label}`;
		result[`server_load_fresh_process${suffix}_ms`] = n.load_cold_ms;
		result[`server_load_warm${suffix}_ms`] = n.load_warm_ms;
		result[`server_sqlite_read${suffix}_ms`] = n.sqlite_read_ms;
		result[`server_heap${suffix}_mb`] = n.heap_mb;
		result[`server_encode${suffix}_ms`] = n.encode_ms;
		result[`server_compact${suffix}_ms`] = n.compact_ms;
		result[`state_vector${suffix}_bytes`] = n.state_vector_bytes;
		result[`node_apply${suffix}_ms`] = n.apply_ms;
		result[`node_apply_listened${suffix}_ms`] = n.apply_listened_ms;
		result[`node_sort${suffix}_ms`] = n.sort_ms;
		result[`node_sort_decorated${suffix}_ms`] = n.sort_decorated_ms;
		result[`node_room_chat_open${suffix}_ms`] = n.chat_open_ms;
		result[`node_room_chat_new_message${suffix}_ms`] = n.chat_new_message_ms;
		result[`node_room_chat_first_sync${suffix}_ms`] = n.chat_first_sync_ms;
	}
	console.log(JSON.stringify(result));
} catch (error) {
	console.error(`bench history-open: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exitCode = 1;
} finally {
	if (context) await context.close().catch(() => {});
	if (server) await stopServer(server);
	rmSync(dataDir, { recursive: true, force: true });
	rmSync(userDataDir, { recursive: true, force: true });
}
