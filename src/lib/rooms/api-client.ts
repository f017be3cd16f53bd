/** Browser side of Parley's JSON API: every call resolves, with the data or an error a person can read. */
import { m } from '#lib/paraglide/messages.js';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: string; field?: string };

export async function apiCall<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
	let response: Response;
	try {
		// A Blob (a picture) is sent as it is, with its own type; anything else as JSON.
		const raw = body instanceof Blob;
		response = await fetch(path, {
			method,
			headers: body === undefined ? {} : { 'content-type': raw ? body.type : 'application/json' },
			body: body === undefined ? undefined : raw ? body : JSON.stringify(body)
		});
	} catch {
		return { ok: false, status: 0, error: m.offline_error() };
	}
	const text = await response.text();
	let data: unknown = null;
	try {
		data = text ? JSON.parse(text) : null;
	} catch {
		// not JSON: a proxy or server error page
	}
	if (response.ok) return { ok: true, data: data as T };
	const failure = (data ?? {}) as { error?: string; field?: string };
	return {
		ok: false,
		status: response.status,
		error: failure.error ?? m.api_failed_status({ status: response.status }),
		...(failure.field ? { field: failure.field } : {})
	};
}
