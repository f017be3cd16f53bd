// Messages made while a request is handled are in its language (both copies of Paraglide read it).
import './request-locale.ts';
import { m } from '../paraglide/messages.js';

// The server entry and the SvelteKit bundle each load their own copy of this module, so
// `instanceof` cannot tell a failure thrown by one copy from the other: a registered symbol can.
const BRAND = Symbol.for('parley.ApiFailure');

/** An expected failure of an API call: becomes `{ error, field? }` with this status. */
export class ApiFailure extends Error {
	override name = 'ApiFailure';
	readonly [BRAND] = true;
	readonly status: number;
	readonly field: string | undefined;

	constructor(status: number, message: string, field?: string) {
		super(message);
		this.status = status;
		this.field = field;
	}
}

export const notFound = () => new ApiFailure(404, m.err_no_room());
export const forbidden = (message: string) => new ApiFailure(403, message);

export function isApiFailure(error: unknown): error is ApiFailure {
	return typeof error === 'object' && error !== null && BRAND in error;
}
