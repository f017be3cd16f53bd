import type { SyncLimits } from '../src/lib/server/config.ts';
import type { RefusalReason } from '../src/lib/server/metrics.ts';
import { TokenBucket } from '../src/lib/server/rate-limit.ts';
import { dayOf, type SyncStore } from './store.ts';

const MINUTE_MS = 60_000;
const MIB = 1024 * 1024;

export type WriteVerdict = { ok: true; day: number } | { ok: false; reason: string; limit: RefusalReason };

/**
 * How much each person may write to one room's document: updates and bytes per minute (token
 * buckets shared by all of that person's connections to the room), and bytes added per UTC day
 * (counted in the database, so a restart does not reset it). Refusals say when to try again.
 */
export class WriteLimits {
	readonly #roomId: string;
	readonly #store: SyncStore;
	readonly #limits: SyncLimits;
	readonly #now: () => number;
	readonly #buckets = new Map<string, { updates: TokenBucket; bytes: TokenBucket }>();
	readonly #daily = new Map<string, { day: number; bytes: number }>();
	/** Bytes applied but not yet confirmed stored (the store batches a turn's writes), per person. */
	readonly #pending = new Map<string, number>();

	constructor(roomId: string, store: SyncStore, limits: SyncLimits, now: () => number = Date.now) {
		this.#roomId = roomId;
		this.#store = store;
		this.#limits = limits;
		this.#now = now;
	}

	/** Spends one update of `bytes` from the person's allowance, or says why not. */
	take(userId: string, bytes: number): WriteVerdict {
		let buckets = this.#buckets.get(userId);
		if (!buckets) {
			buckets = { updates: new TokenBucket(this.#limits.updatesPerMinute, MINUTE_MS, this.#now), bytes: new TokenBucket(this.#limits.bytesPerMinute, MINUTE_MS, this.#now) };
			this.#buckets.set(userId, buckets);
		}
		const day = dayOf(this.#now());
		const used = this.#usedToday(userId, day) + (this.#pending.get(userId) ?? 0);
		if (used + bytes > this.#limits.bytesPerDay) {
			return { ok: false, limit: 'bytes_per_day', reason: `you have added ${(used / MIB).toFixed(1)} MB to this room today, the most one person may add in a day; try again tomorrow` };
		}
		const updates = buckets.updates.take();
		if (!updates.ok) return { ok: false, limit: 'updates_per_minute', reason: `you are sending changes too fast (at most ${this.#limits.updatesPerMinute} a minute); try again in ${Math.ceil(updates.retryMs / 1000)} s` };
		const volume = buckets.bytes.take(bytes);
		if (!volume.ok) return { ok: false, limit: 'bytes_per_minute', reason: `you are sending too much too fast (at most ${(this.#limits.bytesPerMinute / MIB).toFixed(1)} MB a minute); try again in ${Math.ceil(volume.retryMs / 1000)} s` };
		return { ok: true, day };
	}

	/** Counts bytes on their way to the store against the person's day, until `stored` or `dropped`. */
	storing(userId: string, bytes: number): void {
		this.#pending.set(userId, (this.#pending.get(userId) ?? 0) + bytes);
	}

	/** Counts bytes that were stored for the person today. */
	stored(userId: string, day: number, bytes: number): void {
		this.dropped(userId, bytes);
		const today = this.#daily.get(userId);
		if (today?.day === day) today.bytes += bytes;
	}

	/** Bytes that were on their way to the store and are not stored after all. */
	dropped(userId: string, bytes: number): void {
		const left = (this.#pending.get(userId) ?? 0) - bytes;
		if (left > 0) this.#pending.set(userId, left);
		else this.#pending.delete(userId);
	}

	#usedToday(userId: string, day: number): number {
		let today = this.#daily.get(userId);
		if (today?.day !== day) {
			today = { day, bytes: this.#store.usage(this.#roomId, userId, day) };
			this.#daily.set(userId, today);
		}
		return today.bytes;
	}
}
