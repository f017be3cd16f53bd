/** Client side of sign-up, sign-in and sign-out: calls better-auth's HTTP API and turns failures into words. */

export type AuthFailure = { error: string; field?: 'name' | 'email' | 'password' };
export type AuthResult = { ok: true } | ({ ok: false } & AuthFailure);

type ErrorBody = { error?: string; field?: string; code?: string; message?: string };

const FIELDS = new Set(['name', 'email', 'password']);

/** Maps an error answer from /api/auth (Parley's `{error, field}` or better-auth's `{code, message}`) to what the form shows. */
export function describeAuthFailure(status: number, body: ErrorBody | null): AuthFailure {
	if (body?.error) {
		return body.field && FIELDS.has(body.field) ? { error: body.error, field: body.field as AuthFailure['field'] } : { error: body.error };
	}
	switch (body?.code) {
		case 'USER_ALREADY_EXISTS':
		case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
			return { error: 'This email is already used. Sign in instead, or use another email.', field: 'email' };
		case 'INVALID_EMAIL_OR_PASSWORD':
		case 'INVALID_EMAIL':
		case 'INVALID_PASSWORD':
			return { error: 'Wrong email or password.' };
		case 'PASSWORD_TOO_SHORT':
			return { error: 'Use at least 8 characters for your password.', field: 'password' };
	}
	if (status === 401) return { error: 'Wrong email or password.' };
	if (status === 429) return { error: 'Too many attempts. Wait a minute, then try again.' };
	if (status >= 500) return { error: 'Parley could not handle that just now. Try again in a moment.' };
	return { error: body?.message || `The request failed (HTTP ${status}).` };
}

async function post(path: string, body: unknown): Promise<AuthResult> {
	let response: Response;
	try {
		response = await fetch(`/api/auth/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
	} catch {
		return { ok: false, error: 'Cannot reach Parley. Check your connection and try again.' };
	}
	if (response.ok) return { ok: true };
	const data = (await response.json().catch(() => null)) as ErrorBody | null;
	return { ok: false, ...describeAuthFailure(response.status, data) };
}

export const signUp = (input: { name: string; email: string; password: string }) => post('sign-up/email', input);
export const signIn = (input: { email: string; password: string }) => post('sign-in/email', input);
export const signOut = () => post('sign-out', {});
