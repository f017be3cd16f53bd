import { describe, expect, it } from 'vitest';
import { describeAuthFailure } from './auth-client.ts';

describe('describeAuthFailure', () => {
	it("keeps Parley's own { error, field }", () => {
		expect(describeAuthFailure(400, { error: 'Enter a valid email address', field: 'email' })).toEqual({
			error: 'Enter a valid email address',
			field: 'email'
		});
	});

	it('says an email is already used, next to the email field', () => {
		expect(describeAuthFailure(422, { code: 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', message: 'User already exists.' })).toEqual({
			error: 'This email is already used. Sign in instead, or use another email.',
			field: 'email'
		});
	});

	it('says wrong email or password without telling which', () => {
		expect(describeAuthFailure(401, { code: 'INVALID_EMAIL_OR_PASSWORD' })).toEqual({ error: 'Wrong email or password.' });
		expect(describeAuthFailure(401, null)).toEqual({ error: 'Wrong email or password.' });
	});

	it('says a wrong current password (change-password, delete-user) next to the password', () => {
		expect(describeAuthFailure(400, { code: 'INVALID_PASSWORD', message: 'Invalid password' })).toEqual({ error: 'The current password is not right.', field: 'password' });
	});

	it('keeps the fields of the account forms', () => {
		expect(describeAuthFailure(400, { error: 'Use at least 8 characters for your password', field: 'newPassword' })).toEqual({ error: 'Use at least 8 characters for your password', field: 'newPassword' });
	});

	it('explains rate limiting and server errors', () => {
		expect(describeAuthFailure(429, null).error).toMatch(/Too many attempts/);
		expect(describeAuthFailure(503, null).error).toMatch(/Try again/);
	});

	it('ignores a field the form does not have', () => {
		expect(describeAuthFailure(400, { error: 'Bad', field: 'callbackURL' })).toEqual({ error: 'Bad' });
	});
});
