/** Allows at most `max` actions per key in any `windowMs`; in memory, so limits reset on restart. */
export class SlidingWindowLimiter {
	readonly #hits = new Map<string, number[]>();
	readonly #max: number;
	readonly #windowMs: number;
	readonly #now: () => number;

	constructor(max: number, windowMs: number, now: () => number = Date.now) {
		this.#max = max;
		this.#windowMs = windowMs;
		this.#now = now;
	}

	/** Records an action for `key` and says whether it is allowed. */
	take(key: string): boolean {
		const now = this.#now();
		const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.#windowMs);
		const allowed = recent.length < this.#max;
		if (allowed) recent.push(now);
		this.#hits.set(key, recent);
		return allowed;
	}

	/** Milliseconds until `key` may act again (0 when it may now). */
	waitMs(key: string): number {
		const now = this.#now();
		const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.#windowMs);
		return recent.length < this.#max ? 0 : recent[recent.length - this.#max] + this.#windowMs - now;
	}
}

/** How long until `limiter` allows `key` again, in whole seconds (at least 1). */
export function secondsUntilAllowed(limiter: SlidingWindowLimiter, key: string): number {
	return Math.max(1, Math.ceil(limiter.waitMs(key) / 1000));
}

/**
 * A token bucket: holds up to `capacity` tokens, refilled evenly over `refillMs`. Spending
 * succeeds only when enough tokens are there; otherwise it says how long until they are.
 */
export class TokenBucket {
	readonly #capacity: number;
	readonly #perMs: number;
	readonly #now: () => number;
	#tokens: number;
	#at: number;

	constructor(capacity: number, refillMs: number, now: () => number = Date.now) {
		this.#capacity = capacity;
		this.#perMs = capacity / refillMs;
		this.#now = now;
		this.#tokens = capacity;
		this.#at = now();
	}

	/** Takes `amount` tokens if there are enough; else returns the milliseconds to wait for them. */
	take(amount = 1): { ok: true } | { ok: false; retryMs: number } {
		const now = this.#now();
		this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#at) * this.#perMs);
		this.#at = now;
		const need = Math.min(amount, this.#capacity);
		if (this.#tokens >= need) {
			this.#tokens -= need;
			return { ok: true };
		}
		return { ok: false, retryMs: Math.ceil((need - this.#tokens) / this.#perMs) };
	}
}
