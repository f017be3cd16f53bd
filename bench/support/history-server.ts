// The Parley server as history-open.ts drives it: started as `node server/main.ts` on a stopped
// server's data folder, called over HTTP, and made to load a room cold over /sync.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';

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

/**
 * One cold load of a room in the running server: connects to /sync/<room> (the server loads the
 * document, then sends its sync step 1), disconnects, and waits until the server has unloaded it
 * again. Returns what the server logged as `sync.room_loaded`.
 */
export async function serverLoad(server: Server, roomId: string, cookie: string): Promise<number> {
	const from = server.lines.length;
	const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sync/${roomId}`, { headers: { cookie, origin: server.url } });
	await new Promise<void>((resolve, reject) => {
		ws.once('message', () => resolve());
		ws.once('error', reject);
		ws.once('close', (code, reason) => reject(new Error(`the server closed the connection: ${code} ${reason.toString()}`)));
	});
	ws.removeAllListeners('close');
	ws.close();
	const logged = (event: string) => server.lines.slice(from).find((line) => line.includes(`"${event}"`) && line.includes(roomId));
	await until(() => logged('sync.room_unloaded') !== undefined, 15_000, `room ${roomId} to unload`);
	const line = logged('sync.room_loaded');
	if (!line) throw new Error(`the server did not log loading room ${roomId}`);
	return (JSON.parse(line) as { ms: number }).ms;
}

