// The Parley server as history-open.ts drives it: started as `node server/main.ts` on a stopped
// server's data folder, called over HTTP, and made to load a room cold over /sync.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { closeClients, newErrors, openClient, waitFor, type BenchUser } from './sync-clients.ts';

const ROOT = join(import.meta.dirname, '../..');

export type Server = { url: string; child: ChildProcess; exited: Promise<void>; lines: string[] };

/** `node server/main.ts` on a free port; its JSON log lines are kept (and copied to stderr). `env` adds or overrides settings. */
export function startServer(dataDir: string, env: Record<string, string> = {}): Promise<Server> {
	const child = spawn(process.execPath, ['server/main.ts'], {
		cwd: ROOT,
		// Rooms unload 1 s after their last connection, so that the server can be made to load them again.
		env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', SIGNIN_RATE_LIMIT: '1000', ROOM_IDLE_SECONDS: '1', SIGNUPS: 'open', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const lines: string[] = [];
	let pending = '';
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('the server did not start within 30 s'))), 30_000);
		const onData = (chunk: Buffer) => {
			pending += chunk.toString();
			const parts = pending.split('\n');
			pending = parts.pop()!;
			for (const line of parts) {
				lines.push(line);
				process.stderr.write(`[server] ${line}\n`);
				if (line.includes('"server.listening"')) {
					clearTimeout(timer);
					const { port } = JSON.parse(line) as { port: number };
					resolve({ url: `http://127.0.0.1:${port}`, child, exited, lines });
				}
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the server exited with ${code} before listening`))));
	});
}

export async function stopServer(server: Server): Promise<void> {
	if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
	await server.exited;
}

export async function call(server: Server, method: string, path: string, body: unknown, cookie?: string): Promise<{ json: unknown; cookies: string[] }> {
	const response = await fetch(server.url + path, {
		method,
		headers: { 'content-type': 'application/json', origin: server.url, ...(cookie ? { cookie } : {}) },
		body: JSON.stringify(body)
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
	return { json: JSON.parse(text), cookies: response.headers.getSetCookie() };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** The lines the server logged for one of a room's documents since line `from`. */
function docLines(server: Server, from: number, event: string, roomId: string, period: string): string[] {
	return server.lines.slice(from).filter((line) => line.includes(`"${event}"`) && line.includes(roomId) && line.includes(`"period":"${period}"`));
}

/**
 * A device opening a room of months as the app does, over stock y-websocket: its main document
 * (presence, calls) and the month it opens on, from empty documents. Resolves once both are synced
 * with the time that took, the server's own `sync.room_loaded` figure for the month, and the bytes
 * received; then disconnects and waits until the server has unloaded both documents again.
 */
export async function openRoom(server: Server, roomId: string, period: string, user: BenchUser): Promise<{ ms: number; loadedMs: number }> {
	const from = server.lines.length;
	const errors = newErrors();
	const wsUrl = `${server.url.replace(/^http/, 'ws')}/sync`;
	const started = performance.now();
	const clients = [openClient(wsUrl, roomId, user, errors), openClient(wsUrl, `${roomId}/${period}`, user, errors)];
	await waitFor(() => clients.every((c) => c.provider.synced) || errors.denied + errors.closes > 0, 60_000, `room ${roomId} to sync`);
	const ms = performance.now() - started;
	closeClients(clients, errors);
	if (errors.details.length) throw new Error(`opening room ${roomId}: ${errors.details.join('; ')}`);
	await until(() => docLines(server, from, 'sync.room_unloaded', roomId, period).length > 0 && docLines(server, from, 'sync.room_unloaded', roomId, '').length > 0, 30_000, `room ${roomId} to unload`);
	const loaded = docLines(server, from, 'sync.room_loaded', roomId, period)[0];
	if (!loaded) throw new Error(`the server did not log loading ${roomId}/${period}`);
	return { ms, loadedMs: (JSON.parse(loaded) as { ms: number }).ms };
}

/** The largest event-loop delay the server saw since the last call (prom-client resets it on every scrape of /metrics). */
export async function eventLoopMaxMs(server: Server, token: string): Promise<number> {
	const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
	if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
	const match = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(await response.text());
	if (!match) throw new Error('/metrics has no nodejs_eventloop_lag_max_seconds');
	return Number(match[1]) * 1000;
}
