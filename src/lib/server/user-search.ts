import { z } from 'zod';
import { ApiFailure } from './api-failure.ts';
import { secondsUntilAllowed, SlidingWindowLimiter } from './rate-limit.ts';
import type { Rooms } from './rooms.ts';
import { m } from '../paraglide/messages.js';

const HOUR_MS = 60 * 60 * 1000;
const fullEmail = z.email();

/**
 * Finding people: by name (prefix of any word), or by exact email. An exact email answers
 * whether that account exists, so those lookups are limited per person (`emailLookupsPerHour`);
 * a query with an @ that is not a whole address matches nobody and is not looked up.
 */
export class UserSearch {
	readonly #rooms: Rooms;
	readonly #limiter: SlidingWindowLimiter;
	readonly #perHour: number;

	constructor(rooms: Rooms, emailLookupsPerHour: number, now: () => number = Date.now) {
		this.#rooms = rooms;
		this.#perHour = emailLookupsPerHour;
		this.#limiter = new SlidingWindowLimiter(emailLookupsPerHour, HOUR_MS, now);
	}

	search(userId: string, query: string) {
		if (!query.includes('@')) return this.#rooms.people.search(userId, query);
		if (!fullEmail.safeParse(query).success) return [];
		if (!this.#limiter.take(userId)) {
			const minutes = Math.ceil(secondsUntilAllowed(this.#limiter, userId) / 60);
			throw new ApiFailure(429, m.err_email_lookups({ count: this.#perHour, minutes }), 'q');
		}
		return this.#rooms.people.search(userId, query);
	}
}
