// Shared by the sync benchmarks: a sync server in a child process (bench/support/sync-server.ts),
// measured from outside through /proc, and lean stock y-websocket clients that count every error.
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { newMessageKey, parseMessageKey } from '../../src/lib/core/chat/message-key.ts';
import { MESSAGE_AUTH } from '../../src/lib/core/chat/protocol.ts';
import { MESSAGES } from '../../src/lib/core/chat/schema.ts';

export type ServerKind = 'parley' | 'reference';
export type BenchUser = { id: string; name: string; cookie: string };
/** `id`: the document the room's clients write to (for Parley, the room's document of this month). */
export type ServerInfo = { kind: ServerKind; wsUrl: string; rooms: { id: string; users: BenchUser[] }[] };

export type ServerProcess = {
	info: ServerInfo;
	pid: number;
	/** How many lines the server logged at warn or error level, by level and event. */
	warnings(): Map<string, number>;
	/** User + system CPU time the server process has used so far. */
	cpuSeconds(): number;
	rssBytes(): number;
	stop(): Promise<void>;
};

const CLOCK_TICKS = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
	} catch {
		return 100;
	}
})();

/** utime + stime of a process (all its threads), from /proc: measuring from outside costs the server nothing. */
export function cpuSecondsOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export function rssBytesOf(pid: number): number {
	const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) * 1024 : 0;
}

/** CPU time every process on the machine has used: what ours did not use tells how noisy a run was. */
export function machineCpuSeconds(): number {
	const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
}

export async function startServerProcess(kind: ServerKind, rooms: number, perRoom: number): Promise<ServerProcess> {
	const child = fork(join(import.meta.dirname, 'sync-server.ts'), [kind, String(rooms), String(perRoom)], {
		stdio: ['ignore', 'pipe', 'inherit', 'ipc']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	// The server's log lines go to our stderr (so that our stdout ends with the JSON line), the
	// first few of each event only: a stock client's awareness echo can make Parley log thousands.
	const logged = new Map<string, number>();
	let partial = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		const lines = (partial + chunk).split('\n');
		partial = lines.pop()!;
		for (const line of lines) {
			const match = /"level":"(\w+)","event":"([^"]+)"/.exec(line);
			const key = match ? `${match[1]} ${match[2]}` : `other ${line.slice(0, 40)}`;
			const count = (logged.get(key) ?? 0) + 1;
			logged.set(key, count);
			if (count <= 3) process.stderr.write(`[${kind} server] ${line}\n`);
		}
	});
	const info = await new Promise<ServerInfo>((resolve, reject) => {
		child.once('message', (m) => resolve(m as ServerInfo));
		child.once('exit', (code, signal) => reject(new Error(`${kind} server exited during setup (${code ?? signal})`)));
	});
	const pid = child.pid!;
	return {
		info,
		pid,
		warnings: () => new Map([...logged].filter(([key]) => /^(warn|error) /.test(key))),
		cpuSeconds: () => cpuSecondsOf(pid),
		rssBytes: () => rssBytesOf(pid),
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
		}
	};
}

/** What went wrong on the client side; only counted while `active` (closing at the end is no error). */
export type Errors = { active: boolean; socketErrors: number; closes: number; denied: number; details: string[] };
export const newErrors = (): Errors => ({ active: true, socketErrors: 0, closes: 0, denied: 0, details: [] });

function note(errors: Errors, what: 'socketErrors' | 'closes' | 'denied', detail: string) {
	if (!errors.active) return;
	errors[what] += 1;
	if (errors.details.length < 20) errors.details.push(detail);
}

export type Client = { user: BenchUser; doc: Y.Doc; provider: WebsocketProvider; messages: Y.Map<unknown> };

/**
 * A stock y-websocket provider, as the harness's `connect()` makes one; a copy, because importing
 * sync/test-harness.ts would load the whole server (better-auth, SQLite) into the client process.
 */
export function openClient(wsUrl: string, roomId: string, user: BenchUser, errors: Errors): Client {
	const headers = user.cookie ? { cookie: user.cookie } : {};
	const WithCookie = class extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers });
		}
	};
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(wsUrl, roomId, doc, {
		WebSocketPolyfill: WithCookie as never,
		disableBc: true,
		maxBackoffTime: 200,
		connect: false
	});
	// Messages go to a month's document, which carries no presence (the app sends it on the room's
	// main document): neither server has any to relay.
	provider.awareness.setLocalState(null);
	provider.on('connection-error', () => note(errors, 'socketErrors', `${user.name}: socket error`));
	provider.on('connection-close', (event) => note(errors, 'closes', `${user.name}: closed ${event?.code ?? ''} ${event?.reason ?? ''}`));
	provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
		decoding.readVarUint(decoder);
		note(errors, 'denied', `${user.name}: permission denied: ${decoding.readVarString(decoder)}`);
	};
	provider.connect();
	return { user, doc, provider, messages: doc.getMap(MESSAGES) };
}

/** Writes one chat message as the app does; returns its key. */
export function sendMessage(client: Client, text: string): string {
	const key = newMessageKey(client.user.id);
	client.messages.set(key, { text, createdAt: parseMessageKey(key)!.time });
	return key;
}

export function closeClients(clients: Client[], errors: Errors): void {
	errors.active = false;
	for (const c of clients) {
		c.provider.destroy();
		// The provider leaves its awareness (and the awareness's timer) alive; this ends both.
		c.doc.destroy();
	}
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const started = performance.now();
	while (!check()) {
		if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}


/** Nearest-rank percentile of unsorted values. */
export function percentile(values: ArrayLike<number>, p: number): number {
	const sorted = Float64Array.from(values).sort();
	return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

export const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;
