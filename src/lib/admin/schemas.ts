import { z } from 'zod';
import { m } from '../paraglide/messages.js';

export const SIGNUP_MODE_VALUES = ['open', 'invite', 'closed'] as const;

/** PATCH /api/admin/people/[userId] */
export const personPatchBody = z.object({ disabled: z.boolean({ error: () => m.err_admin_disabled_flag() }) });

/** PUT /api/admin/settings: a mode, or null for the SIGNUPS setting's default. */
export const settingsBody = z.object({ signups: z.enum(SIGNUP_MODE_VALUES, { error: () => m.err_admin_signup_mode() }).nullable() });
