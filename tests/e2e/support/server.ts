import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');

export type RunningServer = {
	url: string;
	dataDir: string;
	process: ChildProcess;
	output: () => string;
	/** Sends SIGTERM and resolves with the exit code. */
	stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

export const freshDataDir = () => mkdtempSync(join(tmpdir(), 'parley-e2e-'));

/**
 * Starts the built server (`node server/main.ts`, or `command`) on a free loopback port with its
 * own DATA_DIR, and resolves once it logs that it listens.
 */
export function startServer(env: Record<string, string> = {}, timeoutMs = 30_000, command = [process.execPath, 'server/main.ts']): Promise<RunningServer> {
	const dataDir = env.DATA_DIR ?? freshDataDir();
	const child = spawn(command[0], command.slice(1), {
		cwd: ROOT,
		// Janus only where a test asks for it (SFU: 'auto'): most servers here need no SFU. Anyone may sign up
		// (SIGNUPS=open) unless a test asks otherwise: most tests make fresh people (signups.spec.ts tests the modes).
		env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', SFU: 'off', SIGNUPS: 'open', DATA_DIR: dataDir, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => fail(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
		const fail = (error: Error) => {
			clearTimeout(timer);
			child.kill('SIGKILL');
			reject(error);
		};
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			for (const line of output.split('\n')) {
				if (!line.includes('"server.listening"')) continue;
				clearTimeout(timer);
				const { port } = JSON.parse(line) as { port: number };
				resolve({
					url: `http://127.0.0.1:${port}`,
					dataDir,
					process: child,
					output: () => output,
					stop: (signal = 'SIGTERM') => {
						if (child.exitCode === null) child.kill(signal);
						return exited;
					}
				});
				return;
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', (code) => fail(new Error(`server exited with ${code} before listening:\n${output}`)));
	});
}
