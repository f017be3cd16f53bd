import type WebSocket from 'ws';
import type { Logger } from '../src/lib/server/log.ts';
import { guardRequest, type SfuBinding } from './janus-guard.ts';

type JanusReply = { janus?: string; transaction?: string; data?: { id?: unknown } };

/**
 * One browser's `/sfu` connection, piped to its own Janus connection through `guardRequest`:
 * refused requests get a Janus-style error on their transaction and never reach Janus. It
 * remembers the sessions it created: only those may be used.
 */
export class SfuConnection {
	readonly binding: SfuBinding;
	readonly #client: WebSocket;
	readonly #upstream: WebSocket;
	readonly #sessions = new Set<number>();
	readonly #creating = new Set<string>();
	readonly #log: Logger;

	constructor(options: { client: WebSocket; upstream: WebSocket; binding: SfuBinding; tokens: { session: () => string; room: () => string }; log: Logger }) {
		const { client, upstream, binding, tokens, log } = options;
		this.#client = client;
		this.#upstream = upstream;
		this.binding = binding;
		this.#log = log;
		client.on('message', (data, isBinary) => {
			let request: unknown;
			try {
				request = isBinary ? undefined : JSON.parse(String(data));
			} catch {
				request = undefined;
			}
			const verdict = guardRequest(request, binding, this.#sessions, tokens);
			if (!verdict.ok) {
				log.warn('sfu.request_refused', { roomId: binding.roomId, userId: binding.userId, reason: verdict.reason });
				if (verdict.transaction !== undefined) this.#send(client, { janus: 'error', transaction: verdict.transaction, error: { code: 403, reason: `Refused by Parley: ${verdict.reason}` } });
				return;
			}
			if (verdict.message.janus === 'create' && typeof verdict.message.transaction === 'string') this.#creating.add(verdict.message.transaction);
			this.#send(upstream, verdict.message);
		});
		upstream.on('message', (data) => {
			this.#hear(String(data));
			if (client.readyState === client.OPEN) client.send(data, { binary: false });
		});
		client.on('close', () => upstream.close());
		client.on('error', () => upstream.close());
		upstream.on('close', () => client.close(1012, 'SFU restarting'));
	}

	/** Learns from Janus' replies which sessions are this connection's. */
	#hear(text: string) {
		let reply: JanusReply;
		try {
			reply = JSON.parse(text) as JanusReply;
		} catch {
			return;
		}
		if (reply.transaction && this.#creating.delete(reply.transaction) && reply.janus === 'success' && typeof reply.data?.id === 'number') this.#sessions.add(reply.data.id);
	}

	#send(socket: WebSocket, message: object) {
		if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
	}

	/** Ends this connection (and so its Janus sessions) with a close code the browser sees. */
	end(code: number, reason: string) {
		this.#log.info('sfu.connection_ended', { roomId: this.binding.roomId, userId: this.binding.userId, reason });
		this.#client.close(code, reason);
		this.#upstream.close();
	}
}
