import { z } from 'zod';
import { personName } from '#lib/auth/person-name.ts';
import { isApiFailure } from './api-failure.ts';
import { m } from '../paraglide/messages.js';
import { failureResponse, readJsonBody } from './json-body.ts';

export const MIN_PASSWORD_LENGTH = 8;

const email = z.string({ error: () => m.err_email_missing() }).trim().pipe(z.email({ error: () => m.err_email_invalid() }));
const password = z.string({ error: () => m.err_password_missing() });

const newPassword = password
	.min(MIN_PASSWORD_LENGTH, { error: () => m.err_password_short({ count: MIN_PASSWORD_LENGTH }) })
	.max(128, { error: () => m.err_password_long({ count: 128 }) });
const enteredPassword = password.min(1, { error: () => m.err_password_enter() });

export const signUpSchema = z.object({ name: personName, email, password: newPassword });

export const signInSchema = z.object({
	email,
	password: enteredPassword
});

/** The current password proves it is the person, not someone at their unlocked device. */
export const changePasswordSchema = z.object({
	currentPassword: enteredPassword,
	newPassword,
	revokeOtherSessions: z.boolean({ error: 'revokeOtherSessions must be true or false' }).optional()
});

export const changeEmailSchema = z.object({ newEmail: email, callbackURL: z.string().max(2048).optional() });

/** Deleting an account always takes its password: never one click, never a session left open at a shared computer. */
export const deleteUserSchema = z.object({ password: enteredPassword });

/** Parley shows no profile pictures; an image, if given, is only a URL. */
export const updateUserSchema = z.object({
	name: personName.optional(),
	image: z.string({ error: 'image must be a URL' }).max(2048, 'Use at most 2048 characters for image').nullable().optional()
});

const schemas: Record<string, z.ZodType> = {
	'/api/auth/sign-up/email': signUpSchema,
	'/api/auth/sign-in/email': signInSchema,
	'/api/auth/update-user': updateUserSchema,
	'/api/auth/change-password': changePasswordSchema,
	'/api/auth/change-email': changeEmailSchema,
	'/api/auth/delete-user': deleteUserSchema
};

/**
 * Checks the body of a sign-up, sign-in, update-user, change-password, change-email or delete-user request before better-auth sees it, so
 * bad input is answered as `{ error, field }` like the rest of Parley's API.
 * Returns a Response to send, or null to let better-auth handle the request.
 */
export async function checkAuthRequest(request: Request): Promise<Response | null> {
	const schema = request.method === 'POST' ? schemas[new URL(request.url).pathname] : undefined;
	if (!schema) return null;
	try {
		await readJsonBody(request.clone(), schema);
		return null;
	} catch (error) {
		if (isApiFailure(error)) return failureResponse(error);
		throw error;
	}
}
