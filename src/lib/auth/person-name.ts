import { z } from 'zod';
import { m } from '../paraglide/messages.js';

export const MAX_NAME_LENGTH = 80;

/** The rules for a person's name, on every path that writes one (sign-up, update-user, any other). */
export const personName = z
	.string({ error: () => m.err_name_missing() })
	.trim()
	.min(1, { error: () => m.err_name_missing() })
	.max(MAX_NAME_LENGTH, { error: () => m.err_name_long({ count: MAX_NAME_LENGTH }) })
	.regex(/^[^\p{Cc}]*$/u, { error: () => m.err_name_control() });
