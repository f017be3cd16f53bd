import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { VIDEOROOM } from './janus-token.ts';

/** How long a request waits for Janus' reply before it fails (Janus hung or overloaded): nothing waits on it for ever. */
export const JANUS_REQUEST_TIMEOUT_MS = 10_000;

type Reply = { janus: string; transaction?: string; data?: { id?: number }; error?: { code: number; reason: string }; plugindata?: { data: Record<string, unknown> } };

export class JanusError extends Error {
	override name = 'JanusError';
	readonly code: number;
	constructor(code: number, reason: string) {
		super(reason);
		this.code = code;
	}
}

/**
 * The server's own connection to Janus' WebSocket JSON API, for room control: a session with a
 * videoroom handle, requests matched to replies by transaction.
 */
export class JanusApi {
	readonly #ws: WebSocket;
	readonly #token: string;
	readonly #pending = new Map<string, (reply: Reply) => void>();
	#session = 0;
	#handle = 0;
	#keepalive: ReturnType<typeof setInterval> | undefined;
	/** Called once the connection to Janus is gone (Janus stopped or restarted). */
	onClose: () => void = () => {};

	readonly #timeoutMs: number;

	private constructor(ws: WebSocket, token: string, timeoutMs: number) {
		this.#ws = ws;
		this.#token = token;
		this.#timeoutMs = timeoutMs;
		ws.on('message', (data) => {
			let reply: Reply;
			try {
				reply = JSON.parse(String(data)) as Reply;
			} catch {
				return;
			}
			if (reply.janus === 'ack' || !reply.transaction) return;
			const resolve = this.#pending.get(reply.transaction);
			this.#pending.delete(reply.transaction);
			resolve?.(reply);
		});
		ws.on('close', () => {
			clearInterval(this.#keepalive);
			for (const resolve of this.#pending.values()) resolve({ janus: 'error', error: { code: 0, reason: 'connection to Janus closed' } });
			this.#pending.clear();
			this.onClose();
		});
	}

	static connect(url: string, token: string, timeoutMs = 2000, requestTimeoutMs = JANUS_REQUEST_TIMEOUT_MS): Promise<JanusApi> {
		return new Promise((resolve, reject) => {
			const ws = new WebSocket(url, 'janus-protocol');
			const timer = setTimeout(() => {
				ws.terminate();
				reject(new Error(`no answer from Janus at ${url}`));
			}, timeoutMs);
			ws.once('open', () => {
				clearTimeout(timer);
				resolve(new JanusApi(ws, token, requestTimeoutMs));
			});
			ws.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
		});
	}

	#send(message: Record<string, unknown>): Promise<Reply> {
		const transaction = randomBytes(8).toString('hex');
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#pending.delete(transaction);
				reject(new JanusError(0, `Janus did not answer ${String(message.janus)} within ${this.#timeoutMs} ms`));
			}, this.#timeoutMs);
			timer.unref();
			this.#pending.set(transaction, (reply) => {
				clearTimeout(timer);
				if (reply.janus === 'error') reject(new JanusError(reply.error?.code ?? 0, reply.error?.reason ?? 'Janus error'));
				else resolve(reply);
			});
			this.#ws.send(JSON.stringify({ ...message, transaction, token: this.#token }));
		});
	}

	info(): Promise<Reply> {
		return this.#send({ janus: 'info' });
	}

	/** Opens a session and attaches the videoroom plugin. */
	async open(): Promise<void> {
		this.#session = (await this.#send({ janus: 'create' })).data!.id!;
		this.#handle = (await this.#send({ janus: 'attach', session_id: this.#session, plugin: VIDEOROOM })).data!.id!;
		this.#keepalive = setInterval(() => void this.#send({ janus: 'keepalive', session_id: this.#session }).catch(() => undefined), 25_000);
		this.#keepalive.unref();
	}

	/** A synchronous videoroom request (create, destroy, exists, allowed…); rejects on a plugin error. */
	async videoroom(body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const reply = await this.#send({ janus: 'message', session_id: this.#session, handle_id: this.#handle, body });
		const data = reply.plugindata?.data ?? {};
		if (typeof data.error_code === 'number') throw new JanusError(data.error_code, String(data.error));
		return data;
	}

	close(): void {
		clearInterval(this.#keepalive);
		this.#ws.close();
	}
}
