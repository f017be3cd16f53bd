import type { DatabaseSync } from 'node:sqlite';
import { readDevice, type SignedInDevice } from '../account/devices.ts';
import { ApiFailure } from './api-failure.ts';
import type { Auth } from './auth.ts';
import { m } from '../paraglide/messages.js';

type SessionRow = { id: string; token: string; userAgent: string | null; createdAt: string | number; updatedAt: string | number; expiresAt: string | number };

const time = (value: string | number) => new Date(value).getTime();

/**
 * A person's sign-in sessions (better-auth's `session` rows), one per device or browser. The
 * account page lists them by id and ends one through better-auth, so tokens never reach the page.
 */
export class AccountSessions {
	readonly #db: DatabaseSync;
	readonly #auth: Auth;
	readonly #now: () => number;

	constructor(options: { db: DatabaseSync; auth: Auth; now?: () => number }) {
		this.#db = options.db;
		this.#auth = options.auth;
		this.#now = options.now ?? Date.now;
	}

	/** This device first, then the others by when they were last active. `lastActiveAt` is refreshed about once a day (better-auth's updateAge). */
	list(userId: string, currentSessionId: string | null): SignedInDevice[] {
		const rows = this.#rows(userId);
		return rows
			.filter((row) => time(row.expiresAt) > this.#now())
			.map((row) => ({ id: row.id, current: row.id === currentSessionId, signedInAt: time(row.createdAt), lastActiveAt: time(row.updatedAt), ...readDevice(row.userAgent) }))
			.sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt - a.lastActiveAt || a.id.localeCompare(b.id));
	}

	/** Signs another of the person's devices out; this device signs out with the header's button. */
	async signOut(userId: string, currentSessionId: string | null, sessionId: string, headers: Headers): Promise<void> {
		if (sessionId === currentSessionId) throw new ApiFailure(409, m.err_session_is_this_device(), 'sessionId');
		const row = this.#rows(userId).find((r) => r.id === sessionId);
		if (!row) throw new ApiFailure(404, m.err_session_not_found(), 'sessionId');
		await this.#auth.api.revokeSession({ body: { token: row.token }, headers });
	}

	#rows(userId: string): SessionRow[] {
		return this.#db.prepare('select id, token, userAgent, createdAt, updatedAt, expiresAt from session where userId = ?').all(userId) as SessionRow[];
	}
}
