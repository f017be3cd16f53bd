import type { DatabaseSync } from 'node:sqlite';
import { NodeSqliteDialect } from '@better-auth/kysely-adapter/node-sqlite-dialect';
import { betterAuth } from 'better-auth';
import { APIError, isAPIError } from 'better-auth/api';
import { Kysely } from 'kysely';
import { personName } from '../auth/person-name.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { Mailer } from './mail.ts';
import { SIGNUP_TOKEN_HEADER, type Signups } from './signups.ts';
import { m } from '../paraglide/messages.js';

export type AuthOptions = {
	db: DatabaseSync;
	secret: string;
	config: Pick<Config, 'origin' | 'signInRateLimit'>;
	log?: Logger;
	/** Who may sign up (the first account becomes the administrator), disabled accounts. */
	signups: Signups;
	/** Sends reset-password mails; without it, reset links come from an administrator. */
	mailer?: Mailer;
	/** What Parley does around an account's own changes: its rooms and files before it is deleted, its rooms told of a new name. */
	account?: AccountHooks;
};

/** Parley's side of an account deleting itself (account-deletion.ts) or changing its name. */
export type AccountHooks = {
	/** Runs before better-auth deletes the user row; a thrown APIError refuses the deletion. */
	beforeDelete(userId: string): Promise<void>;
	renamed(userId: string): void;
};

/** Where reset-password links lead (the page takes the token from the address). */
export const RESET_PATH = '/reset-password';

/** Header set by Parley's HTTP server (overwriting anything the client sent) to the client's address. */
export const CLIENT_ADDRESS_HEADER = 'x-parley-client-address';

export function createAuth({ db, secret, config, log, signups, mailer, account }: AuthOptions) {
	return betterAuth({
		appName: 'Parley',
		// Same connection as the rest of Parley, without better-auth's own transactions: they stay
		// open across awaits, and Parley's synchronous transactions would land inside them.
		database: { db: new Kysely({ dialect: new NodeSqliteDialect({ database: db }) }), type: 'sqlite', transaction: false },
		secret,
		// Without ORIGIN the public URL is the one each request came to, as for SvelteKit.
		baseURL: config.origin ?? { allowedHosts: ['*'], protocol: 'http' },
		basePath: '/api/auth',
		emailAndPassword: {
			enabled: true,
			minPasswordLength: 8,
			maxPasswordLength: 128,
			autoSignIn: true,
			resetPasswordTokenExpiresIn: 60 * 60,
			// A new password ends every other session (a thief's too).
			revokeSessionsOnPasswordReset: true,
			sendResetPassword: async ({ user, token }, request) => {
				if (!mailer) return;
				const base = config.origin ?? (request ? new URL(request.url).origin : '');
				await mailer.sendReset(user as { email: string; name: string; locale?: string | null }, `${base}${RESET_PATH}?token=${encodeURIComponent(token)}`);
			}
		},
		// The person's language (migrations/0007): set in Settings through /api/settings/locale, never at sign-up.
		// isAdmin and disabledAt (migrations/0009_admin) are set by Parley only.
		user: {
			additionalFields: { locale: { type: 'string', required: false, input: false } },
			// Parley sends no verification mails: an address that was never verified (all of them) changes at once.
			changeEmail: { enabled: true, updateEmailWithoutVerification: true },
			// The password is required (auth-requests.ts). The rooms and files are settled first, here and not in
			// databaseHooks.user.delete: better-auth deletes the sessions and the password before that hook runs.
			deleteUser: { enabled: true, beforeDelete: async (user) => account?.beforeDelete(user.id) }
		},
		session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
		// Whatever endpoint writes a user (sign-up, update-user, server calls), its name follows the same rules.
		databaseHooks: {
			user: {
				create: {
					// The gate for every sign-up: a client calling /api/auth/sign-up/email itself meets it too.
					before: async (user, ctx) => {
						const decision = signups.decide(ctx?.headers?.get(SIGNUP_TOKEN_HEADER) ?? null);
						if (!decision.allowed) throw new APIError('FORBIDDEN', { message: refusal(decision.reason), code: 'SIGNUPS_' + decision.reason.toUpperCase().replace('-', '_') });
						return { data: { ...user, name: checkedName(user.name) } };
					},
					after: async (user, ctx) => signups.created(user.id, ctx?.headers?.get(SIGNUP_TOKEN_HEADER) ?? undefined)
				},
				update: {
					before: async (user) => (user.name === undefined ? { data: user } : { data: { ...user, name: checkedName(user.name) } }),
					// The person's rooms show the new name at once.
					after: async (user, ctx) => {
						if (ctx?.path === '/update-user') account?.renamed(user.id);
					}
				}
			},
			// A disabled account gets no session, whichever way it signs in.
			session: {
				create: {
					before: async (session) => {
						if (signups.isDisabled(session.userId)) throw new APIError('FORBIDDEN', { message: m.err_account_disabled(), code: 'ACCOUNT_DISABLED' });
					}
				}
			}
		},
		rateLimit: {
			enabled: true,
			storage: 'memory',
			window: 60,
			max: 300,
			customRules: {
				'/sign-in/email': { window: 60, max: config.signInRateLimit },
				'/sign-up/email': { window: 60, max: Math.max(config.signInRateLimit, 10) },
				// These take the current password: guessing it there is held to the sign-in limit too.
				'/change-password': { window: 60, max: config.signInRateLimit },
				'/delete-user': { window: 60, max: config.signInRateLimit }
			}
		},
		advanced: {
			useSecureCookies: config.origin?.startsWith('https:') ?? false,
			ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
			defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' }
		},
		telemetry: { enabled: false },
		logger: log && {
			level: 'warn',
			log: (level, message) => log[level]('auth.' + level, { message })
		},
		// better-auth prints refused requests (bad JSON, wrong content type) to the console itself, past the logger above.
		onAPIError: log && {
			onError(error) {
				const status = (error as { statusCode?: unknown }).statusCode;
				if (isAPIError(error) && typeof status === 'number' && status < 500) log.info('auth.refused', { status, message: error.message });
				else log.error('auth.failed', { error });
			}
		}
	});
}

function refusal(reason: 'invite-needed' | 'closed' | 'link-unusable'): string {
	if (reason === 'closed') return m.err_signups_closed();
	if (reason === 'link-unusable') return m.err_signup_link_unusable();
	return m.err_signups_invite();
}

function checkedName(name: unknown): string {
	const result = personName.safeParse(name);
	if (!result.success) throw new APIError('BAD_REQUEST', { message: result.error.issues[0].message });
	return result.data;
}

export type Auth = ReturnType<typeof createAuth>;
