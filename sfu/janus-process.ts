import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from '../src/lib/server/log.ts';
import { JanusApi } from './janus-api.ts';
import { signJanusToken } from './janus-token.ts';

export const JANUS_BINARY = process.env.JANUS_BINARY ?? '/usr/bin/janus';

export const janusInstalled = () => existsSync(JANUS_BINARY);

/** util-linux's setpriv (Debian: always there) asks the kernel to kill Janus when Parley dies, however it dies. */
const SETPRIV = '/usr/bin/setpriv';

/** The command that runs Janus so that it never outlives this process (SIGKILL, a crash): a parent-death signal. */
export function janusCommand(args: string[]): [string, string[]] {
	if (process.platform !== 'linux' || !existsSync(SETPRIV)) return [JANUS_BINARY, args];
	return [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', JANUS_BINARY, ...args]];
}

/**
 * Runs Janus as a child process: waits until its WebSocket API answers, restarts it with
 * backoff when it dies, and stops it on shutdown; the kernel ends it if Parley itself dies.
 */
export class JanusProcess {
	readonly #configDir: string;
	readonly #url: string;
	readonly #tokenSecret: string;
	readonly #log: Logger;
	#child: ChildProcess | null = null;
	#stopping = false;
	#restarts = 0;
	#answering = false;
	#ready: Promise<void> | null = null;
	/** While a restart is pending, ready() already hands out the promise of the next start. */
	#next: { resolve: () => void; reject: (error: unknown) => void } | null = null;
	/** Called each time Janus (re)starts and answers, e.g. to recreate rooms. */
	onReady: () => void = () => {};

	constructor(options: { configDir: string; wsPort: number; tokenSecret: string; log: Logger }) {
		this.#configDir = options.configDir;
		this.#url = `ws://127.0.0.1:${options.wsPort}`;
		this.#tokenSecret = options.tokenSecret;
		this.#log = options.log;
	}

	get url(): string {
		return this.#url;
	}

	/** Whether Janus answered since it last (re)started: only then can calls move to it. */
	get answering(): boolean {
		return this.#answering;
	}

	get pid(): number | undefined {
		return this.#child?.pid;
	}

	start(): Promise<void> {
		this.#stopping = false;
		this.#spawn();
		return this.#ready!;
	}

	/** Resolves once Janus answers (again). */
	ready(): Promise<void> {
		return this.#ready ?? Promise.reject(new Error('Janus is not started'));
	}

	#spawn() {
		const [command, args] = janusCommand(['-F', this.#configDir, '-o', '-d', '3']);
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		this.#child = child;
		let tail = '';
		const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		child.on('exit', (code, signal) => {
			if (this.#child !== child) return;
			this.#child = null;
			this.#answering = false;
			if (this.#stopping) return;
			// At once the first time (a call is waiting); backing off if it keeps dying.
			const delay = this.#restarts === 0 ? 0 : Math.min(200 * 2 ** this.#restarts, 10_000);
			this.#restarts += 1;
			this.#log.error('sfu.janus_exited', { code, signal, restartInMs: delay, output: tail.slice(-500) });
			this.#ready = new Promise<void>((resolve, reject) => (this.#next = { resolve, reject }));
			this.#ready.catch(() => undefined);
			setTimeout(() => {
				if (!this.#stopping) this.#spawn();
			}, delay).unref();
		});
		const answering = this.#waitUntilAnswering(child).then(() => {
			this.#restarts = 0;
			this.#answering = this.#child === child;
			this.#log.info('sfu.janus_ready', { pid: child.pid });
			this.onReady();
		});
		answering.catch(() => undefined);
		if (this.#next) {
			answering.then(this.#next.resolve, this.#next.reject);
			this.#next = null;
		} else {
			this.#ready = answering;
		}
	}

	async #waitUntilAnswering(child: ChildProcess, timeoutMs = 20_000): Promise<void> {
		const started = Date.now();
		while (Date.now() - started < timeoutMs) {
			if (child.exitCode !== null) throw new Error(`Janus exited with ${child.exitCode} while starting`);
			try {
				const api = await JanusApi.connect(this.#url, signJanusToken(this.#tokenSecret, 60));
				await api.info();
				api.close();
				return;
			} catch {
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		throw new Error(`Janus did not answer on ${this.#url} within ${timeoutMs} ms`);
	}

	async stop(): Promise<void> {
		this.#stopping = true;
		const child = this.#child;
		if (!child) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
		await exited;
		clearTimeout(timer);
	}
}
