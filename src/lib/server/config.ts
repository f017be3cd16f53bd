import { resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const port = z.coerce
	.number({ error: 'must be a number' })
	.int('must be a whole number')
	.min(0, 'must be between 0 and 65535')
	.max(65535, 'must be between 0 and 65535');

const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive');

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
	SIGNIN_RATE_LIMIT: positiveInt.default(10),
	ROOM_MEMBER_LIMIT: positiveInt.default(100),
	ROOM_CREATE_RATE_LIMIT: positiveInt.default(30),
	ROOM_IDLE_SECONDS: positiveInt.default(30),
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
	VAPID_SUBJECT: z.string().regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL').optional()
});

export type Config = {
	host: string;
	port: number;
	/** Public URL people use, e.g. https://chat.example.org. Unset: taken from each request. */
	origin: string | undefined;
	dataDir: string;
	logLevel: LogLevel;
	/** Sign-in attempts allowed per client address per minute. */
	signInRateLimit: number;
	/** Most members a group room can have. */
	roomMemberLimit: number;
	/** Rooms one person may create per hour. */
	roomCreateRateLimit: number;
	/** How long a room document stays in memory after its last connection closes. */
	roomIdleMs: number;
	/** Header carrying the client address when behind a reverse proxy (e.g. x-forwarded-for). */
	addressHeader: string | undefined;
	/** Secrets given in the environment; the missing ones are generated into dataDir. */
	secrets: { authSecret?: string; vapidPublicKey?: string; vapidPrivateKey?: string; janusAdminKey?: string; janusTokenSecret?: string };
	/** The SFU for calls of five and more: Janus as a child process, an external Janus, or none. */
	sfu: { mode: 'auto' | 'off'; externalUrl?: string; rtpPorts: string; iface?: string; publicIp?: string };
	/** ICE servers handed to browsers for calls (TURN only when both URLs and secret are set). */
	ice: { stunUrls: string[]; turnUrls: string[]; turnSecret?: string; turnTtlSeconds: number };
	/** Largest frame a /peerjs signalling socket may send (an SDP offer is ~10 KB). */
	peerjsMaxFrameBytes: number;
	/** Contact for push services (VAPID `sub`): mailto: or https: URL. */
	vapidSubject: string | undefined;
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
		signInRateLimit: e.SIGNIN_RATE_LIMIT,
		roomMemberLimit: e.ROOM_MEMBER_LIMIT,
		roomCreateRateLimit: e.ROOM_CREATE_RATE_LIMIT,
		roomIdleMs: e.ROOM_IDLE_SECONDS * 1000,
		addressHeader: e.ADDRESS_HEADER,
		secrets: {
			authSecret: e.AUTH_SECRET,
			vapidPublicKey: e.VAPID_PUBLIC_KEY,
			vapidPrivateKey: e.VAPID_PRIVATE_KEY,
			janusAdminKey: e.JANUS_ADMIN_KEY,
			janusTokenSecret: e.JANUS_TOKEN_SECRET
		},
		sfu: { mode: e.SFU, externalUrl: e.JANUS_URL, rtpPorts: e.JANUS_RTP_PORTS, iface: e.JANUS_INTERFACE, publicIp: e.JANUS_PUBLIC_IP },
		vapidSubject: e.VAPID_SUBJECT,
		ice: { stunUrls: list(e.STUN_URLS), turnUrls: list(e.TURN_URLS), turnSecret: e.TURN_SECRET, turnTtlSeconds: e.TURN_TTL_SECONDS },
		peerjsMaxFrameBytes: e.PEERJS_MAX_FRAME_BYTES
	};
}

const list = (value: string | undefined) => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
