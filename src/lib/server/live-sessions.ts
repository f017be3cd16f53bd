import type { DatabaseSync } from 'node:sqlite';
import type { Logger } from './log.ts';

/** A long-lived connection made under one sign-in session: a WebSocket, or the events stream. */
export type LiveConnection = {
	sessionId: string;
	userId: string;
	/** Ends the connection, telling the client why. */
	end(reason: string): void;
};

const CHUNK = 500;

/**
 * Ends live connections when the session they were opened with ends: sign-out, "sign out
 * everywhere", expiry, a deleted account. better-auth keeps sessions as rows, so the check is
 * one query over the sessions still in use, every `intervalMs` and at once after any auth
 * request that can end one (`checkSoon`).
 */
export class LiveSessions {
	readonly #db: DatabaseSync;
	readonly #log: Logger;
	readonly #now: () => number;
	readonly #connections = new Set<LiveConnection>();
	readonly #timer: NodeJS.Timeout;
	#soon: NodeJS.Immediate | undefined;

	constructor(options: { db: DatabaseSync; log: Logger; intervalMs: number; now?: () => number }) {
		this.#db = options.db;
		this.#log = options.log;
		this.#now = options.now ?? Date.now;
		this.#timer = setInterval(() => this.check(), options.intervalMs).unref();
	}

	/** Watches a connection until the returned function is called (when it closes). */
	add(connection: LiveConnection): () => void {
		this.#connections.add(connection);
		return () => this.#connections.delete(connection);
	}

	/** Checks on the next turn of the event loop (after the request that may have ended a session). */
	checkSoon(): void {
		this.#soon ??= setImmediate(() => {
			this.#soon = undefined;
			this.check();
		});
	}

	/** Ends every connection whose session no longer exists or has expired. */
	check(): void {
		if (this.#connections.size === 0) return;
		const ids = [...new Set([...this.#connections].map((c) => c.sessionId))];
		const alive = new Set<string>();
		try {
			for (let i = 0; i < ids.length; i += CHUNK) {
				const chunk = ids.slice(i, i + CHUNK);
				const rows = this.#db.prepare(`select id, expiresAt from session where id in (${chunk.map(() => '?').join(',')})`).all(...chunk) as { id: string; expiresAt: string | number }[];
				for (const row of rows) if (new Date(row.expiresAt).getTime() > this.#now()) alive.add(row.id);
			}
		} catch (error) {
			// A busy or failing database must not end everyone's connections: try again next time.
			this.#log.error('session.check_failed', { error });
			return;
		}
		for (const connection of [...this.#connections]) {
			if (alive.has(connection.sessionId)) continue;
			this.#connections.delete(connection);
			this.#log.info('session.connection_ended', { userId: connection.userId });
			connection.end('Your session has ended; sign in again.');
		}
	}

	close(): void {
		clearInterval(this.#timer);
		if (this.#soon) clearImmediate(this.#soon);
		this.#connections.clear();
	}
}
