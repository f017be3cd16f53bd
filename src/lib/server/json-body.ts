import { json } from '@sveltejs/kit';
import type { z } from 'zod';

/** The JSON error shape of every Parley API answer: what went wrong, and which field when one did. */
export type ApiError = { error: string; field?: string };

export function apiError(status: number, error: string, field?: string): Response {
	return json(field ? { error, field } : { error }, { status });
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

/**
 * Reads a request body as JSON and validates it. Malformed JSON → 400; a body of the
 * wrong type → 415; a failed rule → 400 naming the first bad field.
 */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<Parsed<z.infer<S>>> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.includes('application/json')) {
		return { ok: false, response: apiError(415, 'Send the request body as JSON (Content-Type: application/json).') };
	}
	let text: string;
	try {
		text = await request.text();
	} catch (error) {
		// SvelteKit errors the body stream with status 413 past BODY_SIZE_LIMIT.
		const status = (error as { status?: number }).status === 413 ? 413 : 400;
		return { ok: false, response: apiError(status, status === 413 ? 'The request body is larger than 1 MB.' : 'The request body could not be read.') };
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		return { ok: false, response: apiError(400, `The request body is not valid JSON: ${(error as Error).message}`) };
	}
	return validate(raw, schema);
}

export function validate<S extends z.ZodType>(raw: unknown, schema: S): Parsed<z.infer<S>> {
	const result = schema.safeParse(raw);
	if (result.success) return { ok: true, data: result.data };
	const issue = result.error.issues[0];
	const field = issue.path.length ? issue.path.join('.') : undefined;
	if (!field && issue.code === 'invalid_type') return { ok: false, response: apiError(400, 'The request body must be a JSON object.') };
	return { ok: false, response: apiError(400, issue.message, field) };
}
