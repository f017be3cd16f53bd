import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import { ApiFailure } from './api-failure.ts';
import { m } from '../paraglide/messages.js';

/** The JSON error shape of every Parley API answer: what went wrong, and which field when one did. */
export type ApiError = { error: string; field?: string };

export function apiError(status: number, error: string, field?: string): Response {
	return json(field ? { error, field } : { error }, { status, headers: { 'cache-control': 'no-store' } });
}

export const failureResponse = (failure: ApiFailure) => apiError(failure.status, failure.message, failure.field);

/** Validates already-parsed input; throws an ApiFailure naming the first bad field. */
export function validate<S extends z.ZodType>(raw: unknown, schema: S): z.infer<S> {
	const result = schema.safeParse(raw);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const field = issue.path.length ? issue.path.join('.') : undefined;
	if (!field && issue.code === 'invalid_type') throw new ApiFailure(400, m.err_body_object());
	throw new ApiFailure(400, issue.message, field);
}

/**
 * Reads a request body as JSON and validates it. Malformed JSON → 400; a body of the
 * wrong type → 415; over the size limit → 413; a failed rule → 400 naming the field.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.includes('application/json')) throw new ApiFailure(415, m.err_body_json_type());
	let text: string;
	try {
		text = await request.text();
	} catch (error) {
		// SvelteKit errors the body stream with status 413 past BODY_SIZE_LIMIT.
		if ((error as { status?: number }).status === 413) throw new ApiFailure(413, m.err_body_too_large());
		throw new ApiFailure(400, m.err_body_unreadable());
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new ApiFailure(400, m.err_body_bad_json({ detail: (error as Error).message }));
	}
	return validate(raw, schema);
}
