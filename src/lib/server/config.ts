import { resolve } from 'node:path';
import { z } from 'zod';
import { MAX_UPDATE_BYTES } from '../core/chat/schema.ts';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** Who may create an account: anyone; people with a room invite link or an admin's sign-up link; only through an admin's link. */
export const SIGNUP_MODES = ['open', 'invite', 'closed'] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

const port = z.coerce
	.number({ error: 'must be a number' })
	.int('must be a whole number')
	.min(0, 'must be between 0 and 65535')
	.max(65535, 'must be between 0 and 65535');

const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive');

const flag = z.enum(['1', '0', 'true', 'false'], { error: 'must be 1 or 0 (true or false)' }).transform((v) => v === '1' || v === 'true');

const origin = z
	.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL such as https://chat.example.org' })
	.transform((value) => new URL(value).origin);

/** Every setting Parley reads from the environment, with its default. The README's table mirrors this. */
const envSchema = z.object({
	HOST: z.string().min(1).default('127.0.0.1'),
	PORT: port.default(3000),
	ORIGIN: origin.optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
	LOG_FILE: z.string().min(1).optional(),
	SIGNIN_RATE_LIMIT: positiveInt.default(10),
	SIGNIN_ACCOUNT_FAILURES: positiveInt.default(5),
	SIGNIN_ACCOUNT_LOCK_SECONDS: positiveInt.default(30),
	USER_EMAIL_LOOKUP_RATE_LIMIT: positiveInt.default(30),
	SEARCH_RESULT_LIMIT: positiveInt.max(500, 'must be at most 500').default(50),
	SEARCH_RATE_LIMIT: positiveInt.default(60),
	ROOM_MEMBER_LIMIT: positiveInt.default(100),
	ROOM_CREATE_RATE_LIMIT: positiveInt.default(30),
	ROOM_IDLE_SECONDS: positiveInt.default(30),
	SYNC_HEARTBEAT_SECONDS: positiveInt.max(25, 'must be at most 25 (y-websocket clients reconnect after 30 s of silence)').default(10),
	ADDRESS_HEADER: z
		.string()
		.transform((v) => v.toLowerCase())
		.optional(),
	AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
	VAPID_PUBLIC_KEY: z.string().optional(),
	VAPID_PRIVATE_KEY: z.string().optional(),
	STUN_URLS: z.string().optional(),
	TURN_URLS: z.string().optional(),
	TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
	TURN_TTL_SECONDS: positiveInt.default(3600),
	PEERJS_MAX_FRAME_BYTES: positiveInt.min(1024, 'must be at least 1024').default(64 * 1024),
	SFU: z.enum(['auto', 'off'], { error: 'must be auto (run Janus when installed) or off' }).default('auto'),
	JANUS_URL: z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL of Janus’ WebSocket API' }).optional(),
	JANUS_RTP_PORTS: z.string().regex(/^\d+-\d+$/, 'must be a port range like 20000-20999').default('20000-20999'),
	JANUS_INTERFACE: z.string().optional(),
	JANUS_PUBLIC_IP: z.string().optional(),
	JANUS_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
	JANUS_TOKEN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
	SFU_MAX_MESSAGE_BYTES: positiveInt.min(16 * 1024, 'must be at least 16384 (an SDP offer is a few KB)').default(256 * 1024),
	SFU_PUBLISHER_BITRATE: positiveInt.min(64_000, 'must be at least 64000 (Janus’ floor)').default(1_200_000),
	VAPID_SUBJECT: z.string().regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL').optional(),
	PUSH_SUBSCRIPTION_LIMIT: positiveInt.default(10),
	RING_RATE_LIMIT: positiveInt.default(6),
	RING_ROOM_RATE_LIMIT: positiveInt.default(12),
	PUSH_ALLOW_PRIVATE_ENDPOINTS: flag.default(false),
	SESSION_CHECK_SECONDS: positiveInt.default(5),
	SYNC_UPDATES_PER_MINUTE: positiveInt.default(120),
	SYNC_BYTES_PER_MINUTE: positiveInt.min(MAX_UPDATE_BYTES, `must be at least ${MAX_UPDATE_BYTES} (one update of the largest size)`).default(1024 * 1024),
	SYNC_BYTES_PER_DAY: positiveInt.min(MAX_UPDATE_BYTES, `must be at least ${MAX_UPDATE_BYTES} (one update of the largest size)`).default(10 * 1024 * 1024),
	SYNC_CONNECTIONS_PER_ROOM: positiveInt.default(10),
	AWARENESS_STATE_BYTES: positiveInt.default(4096),
	AWARENESS_UPDATES_PER_MINUTE: positiveInt.default(120),
	CALL_DEVICES_PER_PERSON: positiveInt.default(2),
	CALL_REACTIONS_PER_MINUTE: positiveInt.default(30),
	CALL_REMOVAL_MINUTES: positiveInt.default(10),
	FILE_SIZE_LIMIT: positiveInt.default(25 * 1024 * 1024),
	ROOM_STORAGE_QUOTA: positiveInt.default(1024 * 1024 * 1024),
	FILE_ORPHAN_HOURS: positiveInt.default(24),
	UPLOAD_BYTES_PER_HOUR: positiveInt.default(500 * 1024 * 1024),
	UPLOADS_PER_MINUTE: positiveInt.default(60),
	AVATAR_CHANGES_PER_HOUR: positiveInt.default(20),
	METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
	SIGNUPS: z.enum(SIGNUP_MODES, { error: `must be one of ${SIGNUP_MODES.join(', ')}` }).default('invite'),
	SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL such as smtps://user:password@mail.example.org' }).optional(),
	MAIL_FROM: z.string().min(3).optional()
});

export type Config = {
	host: string;
	port: number;
	/** Public URL people use, e.g. https://chat.example.org. Unset: taken from each request. */
	origin: string | undefined;
	dataDir: string;
	logLevel: LogLevel;
	/** Where the JSON log lines go instead of stdout (appended). */
	logFile?: string;
	/** Sign-in attempts allowed per client address per minute. */
	signInRateLimit: number;
	/** Failed sign-ins per account before it must wait, and the first wait (doubling after each further failure). */
	signInAccount: { freeFailures: number; lockMs: number };
	/** Exact-email user lookups one person may make per hour. */
	emailLookupsPerHour: number;
	/** Message search: most results one search answers, and searches one person may make per minute. */
	search: { resultLimit: number; perMinute: number };
	/** Most members a group room can have. */
	roomMemberLimit: number;
	/** Rooms one person may create per hour. */
	roomCreateRateLimit: number;
	/** How long a room document stays in memory after its last connection closes. */
	roomIdleMs: number;
	/** A connection that heard nothing for this long gets a heartbeat, so y-websocket clients (30 s of silence) keep it. */
	syncHeartbeatMs: number;
	/** Header carrying the client address when behind a reverse proxy (e.g. x-forwarded-for). */
	addressHeader: string | undefined;
	/** Secrets given in the environment; the missing ones are generated into dataDir. */
	secrets: { authSecret?: string; vapidPublicKey?: string; vapidPrivateKey?: string; janusAdminKey?: string; janusTokenSecret?: string };
	/**
	 * The SFU for calls of five and more: Janus as a child process, an external Janus, or none.
	 * `maxMessageBytes`: largest frame on /sfu either way; `publisherBitrate`: each publisher's cap (bps).
	 */
	sfu: { mode: 'auto' | 'off'; externalUrl?: string; rtpPorts: string; iface?: string; publicIp?: string; maxMessageBytes: number; publisherBitrate: number };
	/** ICE servers handed to browsers for calls (TURN only when both URLs and secret are set). */
	ice: { stunUrls: string[]; turnUrls: string[]; turnSecret?: string; turnTtlSeconds: number };
	/** Largest frame a /peerjs signalling socket may send (an SDP offer is ~10 KB). */
	peerjsMaxFrameBytes: number;
	/** Contact for push services (VAPID `sub`): mailto: or https: URL. */
	vapidSubject: string | undefined;
	/** Web push limits; `allowPrivateEndpoints` (tests and development only) turns the endpoint address checks off. */
	push: { subscriptionsPerPerson: number; ringsPerMinute: number; roomRingsPerMinute: number; allowPrivateEndpoints: boolean };
	/** How often live connections (sync, calls, events) check that their session still exists. */
	sessionCheckMs: number;
	/** What one person may send to one room's document and presence (sync/limits.ts). */
	sync: SyncLimits;
	/** Bearer token that opens GET /metrics; unset, /metrics does not exist (404). */
	metricsToken: string | undefined;
	/**
	 * Largest file one upload may be, and the bytes of files one room may hold, in bytes; how long an
	 * upload no message took is kept; what one person may upload an hour (bytes) and a minute (files).
	 */
	files: { sizeLimit: number; roomQuota: number; orphanMs: number; uploadLimits: { bytesPerHour: number; perMinute: number } };
	/** How many times one person may set or remove their picture an hour (each is decoded and re-encoded). */
	avatarChangesPerHour: number;
	/** Who may sign up, until an administrator changes it on the admin page (stored in the database). */
	signups: SignupMode;
	/** Outgoing mail for password resets; unset, people ask an administrator for a reset link. */
	mail: { smtpUrl: string; from: string } | undefined;
};

export type SyncLimits = {
	/** Document updates per person per room per minute (a burst may use the whole minute's allowance). */
	updatesPerMinute: number;
	/** Bytes of document updates per person per room per minute. */
	bytesPerMinute: number;
	/** Bytes one person may add to one room's stored document per day (UTC). */
	bytesPerDay: number;
	/** Open connections per person per room (tabs and devices). */
	connectionsPerRoom: number;
	/** Largest presence (awareness) state one connection may publish, in bytes of JSON. */
	awarenessStateBytes: number;
	/** Presence updates per connection per minute; more are delayed, the latest kept. */
	awarenessUpdatesPerMinute: number;
	/** Devices one person may have in one call at once. */
	callDevicesPerPerson: number;
	/** Emoji reactions one connection may send in a call per minute (a burst may use the whole minute's). */
	callReactionsPerMinute: number;
	/** How long someone removed from a call is kept out of it (it also ends with the call). */
	callRemovalMinutes: number;
};

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Reads the environment into a Config; throws a ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
	const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	const result = envSchema.safeParse(present);
	if (!result.success) {
		const lines = result.error.issues.map((issue) => {
			const name = String(issue.path[0]);
			return `${name}=${JSON.stringify(present[name])}: ${issue.message}`;
		});
		throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
	}
	const e = result.data;
	return {
		host: e.HOST,
		port: e.PORT,
		origin: e.ORIGIN,
		dataDir: resolve(e.DATA_DIR),
		logLevel: e.LOG_LEVEL,
		logFile: e.LOG_FILE === undefined ? undefined : resolve(e.LOG_FILE),
		signInRateLimit: e.SIGNIN_RATE_LIMIT,
		signInAccount: { freeFailures: e.SIGNIN_ACCOUNT_FAILURES, lockMs: e.SIGNIN_ACCOUNT_LOCK_SECONDS * 1000 },
		emailLookupsPerHour: e.USER_EMAIL_LOOKUP_RATE_LIMIT,
		search: { resultLimit: e.SEARCH_RESULT_LIMIT, perMinute: e.SEARCH_RATE_LIMIT },
		roomMemberLimit: e.ROOM_MEMBER_LIMIT,
		roomCreateRateLimit: e.ROOM_CREATE_RATE_LIMIT,
		roomIdleMs: e.ROOM_IDLE_SECONDS * 1000,
		syncHeartbeatMs: e.SYNC_HEARTBEAT_SECONDS * 1000,
		addressHeader: e.ADDRESS_HEADER,
		secrets: {
			authSecret: e.AUTH_SECRET,
			vapidPublicKey: e.VAPID_PUBLIC_KEY,
			vapidPrivateKey: e.VAPID_PRIVATE_KEY,
			janusAdminKey: e.JANUS_ADMIN_KEY,
			janusTokenSecret: e.JANUS_TOKEN_SECRET
		},
		sfu: {
			mode: e.SFU,
			externalUrl: e.JANUS_URL,
			rtpPorts: e.JANUS_RTP_PORTS,
			iface: e.JANUS_INTERFACE,
			publicIp: e.JANUS_PUBLIC_IP,
			maxMessageBytes: e.SFU_MAX_MESSAGE_BYTES,
			publisherBitrate: e.SFU_PUBLISHER_BITRATE
		},
		vapidSubject: e.VAPID_SUBJECT,
		push: {
			subscriptionsPerPerson: e.PUSH_SUBSCRIPTION_LIMIT,
			ringsPerMinute: e.RING_RATE_LIMIT,
			roomRingsPerMinute: e.RING_ROOM_RATE_LIMIT,
			allowPrivateEndpoints: e.PUSH_ALLOW_PRIVATE_ENDPOINTS
		},
		sessionCheckMs: e.SESSION_CHECK_SECONDS * 1000,
		sync: {
			updatesPerMinute: e.SYNC_UPDATES_PER_MINUTE,
			bytesPerMinute: e.SYNC_BYTES_PER_MINUTE,
			bytesPerDay: e.SYNC_BYTES_PER_DAY,
			connectionsPerRoom: e.SYNC_CONNECTIONS_PER_ROOM,
			awarenessStateBytes: e.AWARENESS_STATE_BYTES,
			awarenessUpdatesPerMinute: e.AWARENESS_UPDATES_PER_MINUTE,
			callDevicesPerPerson: e.CALL_DEVICES_PER_PERSON,
			callReactionsPerMinute: e.CALL_REACTIONS_PER_MINUTE,
			callRemovalMinutes: e.CALL_REMOVAL_MINUTES
		},
		ice: { stunUrls: list(e.STUN_URLS), turnUrls: list(e.TURN_URLS), turnSecret: e.TURN_SECRET, turnTtlSeconds: e.TURN_TTL_SECONDS },
		peerjsMaxFrameBytes: e.PEERJS_MAX_FRAME_BYTES,
		metricsToken: e.METRICS_TOKEN,
		files: {
			sizeLimit: e.FILE_SIZE_LIMIT,
			roomQuota: e.ROOM_STORAGE_QUOTA,
			orphanMs: e.FILE_ORPHAN_HOURS * 3600 * 1000,
			uploadLimits: { bytesPerHour: e.UPLOAD_BYTES_PER_HOUR, perMinute: e.UPLOADS_PER_MINUTE }
		},
		avatarChangesPerHour: e.AVATAR_CHANGES_PER_HOUR,
		signups: e.SIGNUPS,
		mail: e.SMTP_URL ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM ?? `Parley <parley@${new URL(e.SMTP_URL).hostname}>` } : undefined
	};
}

const list = (value: string | undefined) => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
