import { z } from 'zod';
import { personName } from '#lib/auth/person-name.ts';
import { isApiFailure } from './api-failure.ts';
import { m } from '../paraglide/messages.js';
import { failureResponse, readJsonBody } from './json-body.ts';

export const MIN_PASSWORD_LENGTH = 8;

const email = z.string({ error: () => m.err_email_missing() }).trim().pipe(z.email({ error: () => m.err_email_invalid() }));
const password = z.string({ error: () => m.err_password_missing() });

export const signUpSchema = z.object({
	name: personName,
	email,
	password: password
		.min(MIN_PASSWORD_LENGTH, { error: () => m.err_password_short({ count: MIN_PASSWORD_LENGTH }) })
		.max(128, { error: () => m.err_password_long({ count: 128 }) })
});

export const signInSchema = z.object({
	email,
	password: password.min(1, { error: () => m.err_password_enter() })
});

/** Parley shows no profile pictures; an image, if given, is only a URL. */
export const updateUserSchema = z.object({
	name: personName.optional(),
	image: z.string({ error: 'image must be a URL' }).max(2048, 'Use at most 2048 characters for image').nullable().optional()
});

const schemas: Record<string, z.ZodType> = {
	'/api/auth/sign-up/email': signUpSchema,
	'/api/auth/sign-in/email': signInSchema,
	'/api/auth/update-user': updateUserSchema
};

/**
 * Checks the body of a sign-up, sign-in or update-user request before better-auth sees it, so
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
