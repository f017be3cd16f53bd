/** Client side of sign-up, sign-in, sign-out and the account page: calls better-auth's HTTP API and turns failures into words. */
import { m } from '#lib/paraglide/messages.js';

export type AuthField = 'name' | 'email' | 'password' | 'newEmail' | 'currentPassword' | 'newPassword';
export type AuthFailure = { error: string; field?: AuthField };
export type AuthResult = { ok: true } | ({ ok: false } & AuthFailure);

type ErrorBody = { error?: string; field?: string; code?: string; message?: string };

const FIELDS = new Set(['name', 'email', 'password', 'newEmail', 'currentPassword', 'newPassword']);

/** Maps an error answer from /api/auth (Parley's `{error, field}` or better-auth's `{code, message}`) to what the form shows. */
export function describeAuthFailure(status: number, body: ErrorBody | null): AuthFailure {
	if (body?.error) {
		return body.field && FIELDS.has(body.field) ? { error: body.error, field: body.field as AuthField } : { error: body.error };
	}
	switch (body?.code) {
		case 'USER_ALREADY_EXISTS':
		case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
			return { error: m.auth_email_used(), field: 'email' };
		case 'INVALID_EMAIL_OR_PASSWORD':
		case 'INVALID_EMAIL':
			return { error: m.auth_wrong_password() };
		// Only the account page sends a password without an email (change-password, delete-user).
		case 'INVALID_PASSWORD':
			return { error: m.account_password_wrong(), field: 'password' };
		case 'LAST_ADMIN':
			return { error: body.message || m.err_last_admin_deletes() };
		case 'PASSWORD_TOO_SHORT':
			return { error: m.auth_password_short(), field: 'password' };
		case 'INVALID_TOKEN':
			return { error: m.reset_link_invalid() };
	}
	if (status === 401) return { error: m.auth_wrong_password() };
	if (status === 429) return { error: m.auth_too_many() };
	if (status >= 500) return { error: m.auth_server_error() };
	return { error: body?.message || m.auth_failed_status({ status }) };
}

/** Must match SIGNUP_TOKEN_HEADER in src/lib/server/signups.ts: the invite or sign-up link a sign-up came from. */
const SIGNUP_TOKEN_HEADER = 'x-parley-signup-token';

async function post(path: string, body: unknown, extraHeaders: Record<string, string> = {}): Promise<AuthResult> {
	let response: Response;
	try {
		response = await fetch(`/api/auth/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...extraHeaders },
			body: JSON.stringify(body)
		});
	} catch {
		return { ok: false, error: m.offline_error() };
	}
	if (response.ok) return { ok: true };
	const data = (await response.json().catch(() => null)) as ErrorBody | null;
	return { ok: false, ...describeAuthFailure(response.status, data) };
}

export const signUp = (input: { name: string; email: string; password: string }, token?: string | null) =>
	post('sign-up/email', input, token ? { [SIGNUP_TOKEN_HEADER]: token } : {});
export const requestPasswordReset = (email: string) => post('request-password-reset', { email, redirectTo: '/reset-password' });
export const resetPassword = (token: string, newPassword: string) => post('reset-password', { token, newPassword });
export const signIn = (input: { email: string; password: string }) => post('sign-in/email', input);
export const signOut = () => post('sign-out', {});

export const changeName = (name: string) => post('update-user', { name });
/** Parley sends no confirmation mail: an address not yet used by another account changes at once (auth.ts). */
export const changeEmail = (newEmail: string) => post('change-email', { newEmail });
export const changePassword = (input: { currentPassword: string; newPassword: string; revokeOtherSessions: boolean }) => post('change-password', input);
export const signOutOtherDevices = () => post('revoke-other-sessions', {});
export const deleteAccount = (password: string) => post('delete-user', { password });
