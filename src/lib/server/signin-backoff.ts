import { m } from '../paraglide/messages.js';

export type SignInBackoffOptions = {
	/** Failed sign-ins one account may have before it must wait. */
	freeFailures: number;
	/** The first wait; each further failure doubles it, up to `maxLockMs`. */
	lockMs: number;
	maxLockMs?: number;
	now?: () => number;
};

type Entry = { failures: number; lockedUntil: number; lastAt: number };

const FORGET_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 100_000;

/**
 * Failed sign-ins counted per account (by email, whether or not such an account exists, so the
 * answer says nothing about that): after `freeFailures` the account must wait, twice as long
 * after each further failure. A success clears it. In memory, like the other limits.
 */
export class SignInBackoff {
	readonly #entries = new Map<string, Entry>();
	readonly #free: number;
	readonly #lockMs: number;
	readonly #maxLockMs: number;
	readonly #now: () => number;

	constructor({ freeFailures, lockMs, maxLockMs = 15 * 60 * 1000, now = Date.now }: SignInBackoffOptions) {
		this.#free = freeFailures;
		this.#lockMs = lockMs;
		this.#maxLockMs = Math.max(maxLockMs, lockMs);
		this.#now = now;
	}

	/** Milliseconds before this account may try again (0: now). */
	waitMs(email: string): number {
		const entry = this.#entry(email);
		return entry ? Math.max(0, entry.lockedUntil - this.#now()) : 0;
	}

	failed(email: string): void {
		const now = this.#now();
		const entry = this.#entry(email) ?? { failures: 0, lockedUntil: 0, lastAt: now };
		entry.failures++;
		entry.lastAt = now;
		const over = entry.failures - this.#free;
		if (over >= 0) entry.lockedUntil = now + Math.min(this.#maxLockMs, this.#lockMs * 2 ** Math.min(over, 30));
		this.#entries.delete(key(email));
		this.#entries.set(key(email), entry);
		// The oldest entries go first when memory is under pressure from many made-up emails.
		while (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
	}

	succeeded(email: string): void {
		this.#entries.delete(key(email));
	}

	/**
	 * Runs a sign-in request through the backoff: refused with 429 while the account must wait,
	 * otherwise `handle` answers and a 401 counts as a failure.
	 */
	async guard(request: Request, handle: () => Promise<Response>): Promise<Response> {
		const email = await emailOf(request);
		if (email === null) return handle();
		const wait = this.waitMs(email);
		if (wait > 0) {
			const seconds = Math.ceil(wait / 1000);
			const error = m.err_signin_backoff({ seconds });
			return new Response(JSON.stringify({ error, field: 'email' }), {
				status: 429,
				headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': String(seconds) }
			});
		}
		const response = await handle();
		if (response.status === 401) this.failed(email);
		else if (response.ok) this.succeeded(email);
		return response;
	}

	#entry(email: string): Entry | undefined {
		const entry = this.#entries.get(key(email));
		if (entry && entry.lockedUntil <= this.#now() && entry.lastAt + FORGET_MS <= this.#now()) {
			this.#entries.delete(key(email));
			return undefined;
		}
		return entry;
	}
}

const key = (email: string) => email.trim().toLowerCase();

async function emailOf(request: Request): Promise<string | null> {
	if (request.method !== 'POST' || new URL(request.url).pathname !== '/api/auth/sign-in/email') return null;
	try {
		const body = (await request.clone().json()) as { email?: unknown };
		return typeof body.email === 'string' ? body.email : null;
	} catch {
		return null;
	}
}
