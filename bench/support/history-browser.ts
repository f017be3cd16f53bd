// Chromium side of bench/history-open.ts: opens a room page and times, inside the page, from the
// navigation's start (performance.timeOrigin) to the newest message's text painted in the
// "Messages" log, with marks for where the time went. Nothing in the app is changed: an init script
// watches the page's IndexedDB calls, its WebSocket and its DOM.
import type { BrowserContext, Page } from '@playwright/test';

/** Marks, in ms since the navigation started (absent when the page never got there). */
export type OpenMarks = {
	online: boolean;
	/** When each IndexedDB database was first opened (by name). */
	opened: Record<string, number>;
	/** The "Messages" log's scroll height at that moment (0 when it was not shown yet). */
	heightAtOpen: Record<string, number>;
	/** indexedDB.open of the month the room opens on: the room view has mounted (page, scripts, hydration). */
	idbOpen?: number;
	/** y-indexeddb's getAll of the stored updates: asked, answered, and how much came back. */
	readStart?: number;
	readEnd?: number;
	readBytes?: number;
	readCount?: number;
	/** y-indexeddb's next IndexedDB call after the read: Y.applyUpdate of what it read is done. */
	applied?: number;
	/** A WebSocket message over 64 KiB arrived (the server's copy of the document, on a first visit). */
	bigMessage?: number;
	bigMessageBytes?: number;
	/** The "Messages" log is in the DOM: RoomChat has sorted and listed the messages, Svelte has rendered. */
	logShown?: number;
	/** The newest message's text is in the log, inside its visible area. */
	visible?: number;
	/** The frame after that (requestAnimationFrame, then a task: it has been painted). */
	painted?: number;
};

/** What the page waits for in a room: the newest message's text, in the IndexedDB database of its month. */
export type OpenTarget = { text: string; db: string };

/** Runs in the page before its own scripts; `targets` maps room ids to what to wait for. */
function instrument(targets: Record<string, OpenTarget>) {
	const roomId = /^\/rooms\/([^/]+)$/.exec(location.pathname)?.[1];
	const target = roomId ? targets[roomId] : undefined;
	if (!roomId || !target) return;
	const want = target.text;
	const now = () => Math.round(performance.now() * 10) / 10;
	const opened: Record<string, number> = {};
	const heightAtOpen: Record<string, number> = {};
	const m: Record<string, number | boolean | Record<string, number>> = { online: navigator.onLine, opened, heightAtOpen };
	(window as unknown as { __history: typeof m }).__history = m;
	const dbName = target.db;

	const open = IDBFactory.prototype.open;
	IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
		if (opened[args[0]] === undefined) {
			opened[args[0]] = now();
			heightAtOpen[args[0]] = document.querySelector('[role="log"][aria-label="Messages"]')?.scrollHeight ?? 0;
		}
		if (args[0] === dbName) m.idbOpen ??= now();
		return open.apply(this, args);
	};
	const ours = (store: IDBObjectStore) => store.name === 'updates' && store.transaction.db.name === dbName;
	const getAll = IDBObjectStore.prototype.getAll;
	IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>) {
		const request = getAll.apply(this, args);
		if (ours(this) && m.readStart === undefined) {
			m.readStart = now();
			// Registered before y-indexeddb's onsuccess, so it runs first: the read is done, nothing applied yet.
			request.addEventListener('success', () => {
				m.readEnd = now();
				const updates = request.result as Uint8Array[];
				m.readCount = updates.length;
				m.readBytes = updates.reduce((sum, u) => sum + u.byteLength, 0);
			});
		}
		return request;
	};
	for (const name of ['openCursor', 'openKeyCursor'] as const) {
		const original = IDBObjectStore.prototype[name] as (...args: unknown[]) => IDBRequest;
		(IDBObjectStore.prototype as unknown as Record<string, unknown>)[name] = function (this: IDBObjectStore, ...args: unknown[]) {
			if (ours(this) && m.readEnd !== undefined && m.applied === undefined) m.applied = now();
			return original.apply(this, args);
		};
	}

	const NativeWebSocket = window.WebSocket;
	window.WebSocket = class extends NativeWebSocket {
		constructor(...args: ConstructorParameters<typeof WebSocket>) {
			super(...args);
			this.addEventListener('message', (event: MessageEvent) => {
				const bytes = (event.data as ArrayBuffer).byteLength ?? 0;
				if (bytes > 65_536 && m.bigMessage === undefined) {
					m.bigMessage = now();
					m.bigMessageBytes = bytes;
				}
			});
		}
	};

	const check = () => {
		if (m.visible !== undefined) return;
		const log = document.querySelector('[role="log"][aria-label="Messages"]');
		if (!log) return;
		m.logShown ??= now();
		const box = log.getBoundingClientRect();
		for (const text of log.querySelectorAll('article .text')) {
			if (!text.textContent?.includes(want)) continue;
			const r = text.getBoundingClientRect();
			if (r.height > 0 && r.bottom > box.top && r.top < box.bottom) {
				m.visible = now();
				requestAnimationFrame(() => {
					const channel = new MessageChannel();
					channel.port1.onmessage = () => (m.painted = now());
					channel.port2.postMessage(0);
				});
				observer.disconnect();
				return;
			}
		}
	};
	const observer = new MutationObserver(check);
	observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['style'] });
	addEventListener('scroll', check, { capture: true, passive: true });
	const everyFrame = () => {
		check();
		if (m.visible === undefined) requestAnimationFrame(everyFrame);
	};
	requestAnimationFrame(everyFrame);
}

export async function instrumentContext(context: BrowserContext, targets: Record<string, OpenTarget>): Promise<void> {
	await context.addInitScript(instrument, targets);
}

/** Waits until the page has painted the newest message, and returns its marks. */
export async function waitForPainted(page: Page, timeoutMs: number): Promise<OpenMarks> {
	await page.waitForFunction(() => (window as unknown as { __history?: { painted?: number } }).__history?.painted !== undefined, null, {
		timeout: timeoutMs,
		polling: 100
	});
	const marks = await page.evaluate(() => (window as unknown as { __history: OpenMarks }).__history);
	const sending = await page.getByRole('log', { name: 'Messages' }).getByText('Sending…').count();
	if (sending) throw new Error(`${sending} messages show as sending after the open`);
	return marks;
}

/** Bytes y-indexeddb holds in a database (what it would read on the next open). */
export function storedBytes(page: Page, dbName: string): Promise<number> {
	return page.evaluate(
		(name) =>
			new Promise<number>((resolve, reject) => {
				const request = indexedDB.open(name);
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					if (!db.objectStoreNames.contains('updates')) return (db.close(), resolve(0));
					const all = db.transaction('updates', 'readonly').objectStore('updates').getAll();
					all.onerror = () => reject(all.error);
					all.onsuccess = () => {
						db.close();
						resolve((all.result as Uint8Array[]).reduce((sum, u) => sum + u.byteLength, 0));
					};
				};
			}),
		dbName
	);
}

/** After a first, online visit: the service worker controls the page, has kept it, and the month's document and the server's acknowledgement of it are stored. */
export async function waitUntilKeptOffline(page: Page, dbName: string, docBytes: number, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const path = new URL(page.url()).pathname;
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: timeoutMs });
	for (;;) {
		const cached = await page.evaluate(async () => (await (await caches.open('parley-pages')).keys()).map((r) => new URL(r.url).pathname));
		const acknowledged = await page.evaluate((key) => localStorage.getItem(key) !== null, `parley:server-state:${dbName}`);
		const bytes = await storedBytes(page, dbName);
		if (cached.includes(path) && acknowledged && bytes >= docBytes) return;
		if (Date.now() > deadline) throw new Error(`${dbName} not kept for offline use: page cached ${cached.includes(path)}, acknowledged ${acknowledged}, ${bytes} of ${docBytes} bytes stored`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** IndexedDB bytes Chromium reports for the origin (on disk, all rooms). */
export function indexedDbUsage(page: Page): Promise<number> {
	return page.evaluate(async () => {
		const estimate = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: { indexedDB?: number } };
		return estimate.usageDetails?.indexedDB ?? -1;
	});
}

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** Reloads the page with Chromium's sampling profiler on; returns the profile and the open's marks. */
export async function profileReload(page: Page, timeoutMs: number): Promise<{ profile: CpuProfile; marks: OpenMarks }> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
	await cdp.send('Profiler.start');
	await page.reload();
	const marks = await waitForPainted(page, timeoutMs);
	const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
	await cdp.detach();
	return { profile, marks };
}

/**
 * Self and total time per function in a CPU profile, largest first. Functions are named by where
 * they start (the build is minified), with the first characters of their code to recognise them by.
 */
export async function summariseProfile(profile: CpuProfile, source: (url: string) => Promise<string>, top = 15): Promise<string[]> {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const where = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/_app\//, '')}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
	const self = new Map<string, number>();
	const total = new Map<string, number>();
	const frames = new Map<string, ProfileNode>();
	profile.samples.forEach((id, i) => {
		const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		const leaf = byId.get(id)!;
		self.set(where(leaf), (self.get(where(leaf)) ?? 0) + ms);
		const seen = new Set<string>();
		for (let n: ProfileNode | undefined = leaf; n; n = byId.get(parent.get(n.id)!)) {
			const key = where(n);
			frames.set(key, n);
			if (seen.has(key)) continue;
			seen.add(key);
			total.set(key, (total.get(key) ?? 0) + ms);
		}
	});
	const texts = new Map<string, string>();
	const snippet = async (n: ProfileNode) => {
		const { url, lineNumber, columnNumber } = n.callFrame;
		if (!url.startsWith('http')) return '';
		if (!texts.has(url)) texts.set(url, await source(url).catch(() => ''));
		const line = texts.get(url)!.split('\n')[lineNumber] ?? '';
		return line.slice(columnNumber, columnNumber + 70).replace(/\s+/g, ' ');
	};
	const lines: string[] = [];
	for (const [title, table] of [
		['self', self],
		['total', total]
	] as const) {
		lines.push(`-- ${title} time, ms --`);
		for (const [key, ms] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
			const frame = frames.get(key) ?? profile.nodes.find((n) => where(n) === key)!;
			lines.push(`${ms.toFixed(0).padStart(6)}  ${key}  ${await snippet(frame)}`);
		}
	}
	return lines;
}
