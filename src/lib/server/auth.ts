import type { DatabaseSync } from 'node:sqlite';
import { NodeSqliteDialect } from '@better-auth/kysely-adapter/node-sqlite-dialect';
import { betterAuth } from 'better-auth';
import { APIError, isAPIError } from 'better-auth/api';
import { Kysely } from 'kysely';
import { personName } from '../auth/person-name.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';

export type AuthOptions = {
	db: DatabaseSync;
	secret: string;
	config: Pick<Config, 'origin' | 'signInRateLimit'>;
	log?: Logger;
};

/** Header set by Parley's HTTP server (overwriting anything the client sent) to the client's address. */
export const CLIENT_ADDRESS_HEADER = 'x-parley-client-address';

export function createAuth({ db, secret, config, log }: AuthOptions) {
	return betterAuth({
		appName: 'Parley',
		// Same connection as the rest of Parley, without better-auth's own transactions: they stay
		// open across awaits, and Parley's synchronous transactions would land inside them.
		database: { db: new Kysely({ dialect: new NodeSqliteDialect({ database: db }) }), type: 'sqlite', transaction: false },
		secret,
		// Without ORIGIN the public URL is the one each request came to, as for SvelteKit.
		baseURL: config.origin ?? { allowedHosts: ['*'], protocol: 'http' },
		basePath: '/api/auth',
		emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
		// The person's language (migrations/0007): set in Settings through /api/settings/locale, never at sign-up.
		user: { additionalFields: { locale: { type: 'string', required: false, input: false } } },
		session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
		// Whatever endpoint writes a user (sign-up, update-user, server calls), its name follows the same rules.
		databaseHooks: {
			user: {
				create: { before: async (user) => ({ data: { ...user, name: checkedName(user.name) } }) },
				update: { before: async (user) => (user.name === undefined ? { data: user } : { data: { ...user, name: checkedName(user.name) } }) }
			}
		},
		rateLimit: {
			enabled: true,
			storage: 'memory',
			window: 60,
			max: 300,
			customRules: {
				'/sign-in/email': { window: 60, max: config.signInRateLimit },
				'/sign-up/email': { window: 60, max: Math.max(config.signInRateLimit, 10) }
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

function checkedName(name: unknown): string {
	const result = personName.safeParse(name);
	if (!result.success) throw new APIError('BAD_REQUEST', { message: result.error.issues[0].message });
	return result.data;
}

export type Auth = ReturnType<typeof createAuth>;
