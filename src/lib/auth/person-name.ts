import { z } from 'zod';

export const MAX_NAME_LENGTH = 80;

/** The rules for a person's name, on every path that writes one (sign-up, update-user, any other). */
export const personName = z
	.string({ error: 'Enter your name' })
	.trim()
	.min(1, 'Enter your name')
	.max(MAX_NAME_LENGTH, `Use at most ${MAX_NAME_LENGTH} characters for your name`)
	.regex(/^[^\p{Cc}]*$/u, 'Your name cannot contain control characters such as tabs or line breaks');
