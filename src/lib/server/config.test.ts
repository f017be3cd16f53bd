import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('parseConfig', () => {
	it('uses the documented defaults for an empty environment', () => {
		expect(parseConfig({})).toEqual({
			host: '127.0.0.1',
			port: 3000,
			origin: undefined,
			dataDir: resolve('./data'),
			logLevel: 'info',
			logFile: undefined,
			signInRateLimit: 10,
			signInAccount: { freeFailures: 5, lockMs: 30_000 },
			emailLookupsPerHour: 30,
			search: { resultLimit: 50, perMinute: 60 },
			roomMemberLimit: 100,
			roomCreateRateLimit: 30,
			roomIdleMs: 30_000,
			syncHeartbeatMs: 10_000,
			addressHeader: undefined,
			secrets: { authSecret: undefined, vapidPublicKey: undefined, vapidPrivateKey: undefined, janusAdminKey: undefined, janusTokenSecret: undefined },
			sfu: { mode: 'auto', externalUrl: undefined, rtpPorts: '20000-20999', iface: undefined, publicIp: undefined, maxMessageBytes: 262144, publisherBitrate: 1200000 },
			vapidSubject: undefined,
			push: { subscriptionsPerPerson: 10, ringsPerMinute: 6, roomRingsPerMinute: 12, allowPrivateEndpoints: false },
			ice: { stunUrls: [], turnUrls: [], turnSecret: undefined, turnTtlSeconds: 3600 },
			sessionCheckMs: 5000,
			sync: { updatesPerMinute: 120, bytesPerMinute: 1024 * 1024, bytesPerDay: 10 * 1024 * 1024, connectionsPerRoom: 10, awarenessStateBytes: 4096, awarenessUpdatesPerMinute: 120, callDevicesPerPerson: 2, callReactionsPerMinute: 30, callRemovalMinutes: 10 },
			peerjsMaxFrameBytes: 65536,
			metricsToken: undefined,
			files: { sizeLimit: 25 * 1024 * 1024, roomQuota: 1024 * 1024 * 1024, orphanMs: 24 * 3600 * 1000, uploadLimits: { bytesPerHour: 500 * 1024 * 1024, perMinute: 60 } },
			avatarChangesPerHour: 20,
			signups: 'invite',
			mail: undefined
		});
	});

	it('refuses a byte limit below one update of the largest size', () => {
		expect(() => parseConfig({ SYNC_BYTES_PER_MINUTE: '1000' })).toThrow(/SYNC_BYTES_PER_MINUTE="1000": must be at least 262144/);
	});

	it('reads the signalling frame limit, and refuses one too small for a PeerJS offer', () => {
		expect(parseConfig({ PEERJS_MAX_FRAME_BYTES: '32768' }).peerjsMaxFrameBytes).toBe(32768);
		expect(() => parseConfig({ PEERJS_MAX_FRAME_BYTES: '100' })).toThrow(/PEERJS_MAX_FRAME_BYTES="100": must be at least 1024/);
	});

	it('reads every variable', () => {
		const config = parseConfig({
			HOST: '0.0.0.0',
			PORT: '8080',
			ORIGIN: 'https://chat.example.org/',
			DATA_DIR: '/var/lib/parley',
			LOG_LEVEL: 'debug',
			LOG_FILE: 'logs/parley.log',
			SIGNIN_RATE_LIMIT: '3',
			ROOM_MEMBER_LIMIT: '5',
			ROOM_CREATE_RATE_LIMIT: '2',
			ADDRESS_HEADER: 'X-Forwarded-For',
			AUTH_SECRET: 'a'.repeat(40)
		});
		expect(config).toMatchObject({
			host: '0.0.0.0',
			port: 8080,
			origin: 'https://chat.example.org',
			dataDir: '/var/lib/parley',
			logLevel: 'debug',
			logFile: resolve('logs/parley.log'),
			signInRateLimit: 3,
			roomMemberLimit: 5,
			roomCreateRateLimit: 2,
			addressHeader: 'x-forwarded-for',
			secrets: { authSecret: 'a'.repeat(40) }
		});
	});

	it('reads comma-separated ICE server lists', () => {
		expect(parseConfig({ STUN_URLS: 'stun:a:3478, stun:b:3478', TURN_URLS: 'turn:t:3478', TURN_SECRET: 'x'.repeat(16) }).ice).toEqual({
			stunUrls: ['stun:a:3478', 'stun:b:3478'],
			turnUrls: ['turn:t:3478'],
			turnSecret: 'x'.repeat(16),
			turnTtlSeconds: 3600
		});
	});

	it('reads the push, ringing, sign-in and lookup limits', () => {
		const config = parseConfig({
			PUSH_SUBSCRIPTION_LIMIT: '3',
			RING_RATE_LIMIT: '2',
			RING_ROOM_RATE_LIMIT: '4',
			PUSH_ALLOW_PRIVATE_ENDPOINTS: '1',
			SIGNIN_ACCOUNT_FAILURES: '7',
			SIGNIN_ACCOUNT_LOCK_SECONDS: '60',
			USER_EMAIL_LOOKUP_RATE_LIMIT: '9'
		});
		expect(config).toMatchObject({
			push: { subscriptionsPerPerson: 3, ringsPerMinute: 2, roomRingsPerMinute: 4, allowPrivateEndpoints: true },
			signInAccount: { freeFailures: 7, lockMs: 60_000 },
			emailLookupsPerHour: 9
		});
		expect(() => parseConfig({ PUSH_ALLOW_PRIVATE_ENDPOINTS: 'yes' })).toThrow(/PUSH_ALLOW_PRIVATE_ENDPOINTS="yes": must be 1 or 0/);
	});

	it('reads the metrics token, and refuses one too short to be a secret', () => {
		expect(parseConfig({ METRICS_TOKEN: 't'.repeat(16) }).metricsToken).toBe('t'.repeat(16));
		expect(() => parseConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN="short": must be at least 16 characters/);
	});

	it('reads the sign-up mode, and refuses an unknown one', () => {
		expect(parseConfig({ SIGNUPS: 'open' }).signups).toBe('open');
		expect(parseConfig({ SIGNUPS: 'closed' }).signups).toBe('closed');
		expect(() => parseConfig({ SIGNUPS: 'anyone' })).toThrow(/SIGNUPS="anyone": must be one of open, invite, closed/);
	});

	it('reads the mail settings, with a sender from the SMTP host by default', () => {
		expect(parseConfig({ SMTP_URL: 'smtp://mail.example.org:587' }).mail).toEqual({ smtpUrl: 'smtp://mail.example.org:587', from: 'Parley <parley@mail.example.org>' });
		expect(parseConfig({ SMTP_URL: 'smtps://u:p@mail.example.org', MAIL_FROM: 'Chat <chat@example.org>' }).mail?.from).toBe('Chat <chat@example.org>');
		expect(() => parseConfig({ SMTP_URL: 'http://mail.example.org' })).toThrow(/SMTP_URL="http:\/\/mail.example.org": must be an smtp/);
	});

	it('treats empty variables as unset', () => {
		expect(parseConfig({ PORT: '', ORIGIN: '' })).toMatchObject({ port: 3000, origin: undefined });
	});

	it.each([
		['PORT', 'abc', /PORT="abc": must be a number/],
		['PORT', '70000', /PORT="70000": must be between 0 and 65535/],
		['ORIGIN', 'chat.example.org', /ORIGIN="chat.example.org": must be an http/],
		['ORIGIN', 'ftp://chat.example.org', /ORIGIN=.*must be an http/],
		['LOG_LEVEL', 'loud', /LOG_LEVEL="loud": must be one of debug, info, warn, error/],
		['AUTH_SECRET', 'short', /AUTH_SECRET="short": must be at least 32 characters/]
	])('rejects %s=%s with a message naming it', (name, value, message) => {
		expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
		expect(() => parseConfig({ [name]: value })).toThrow(message);
	});

	it('lists every bad variable at once', () => {
		expect(() => parseConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT=.*\n.*LOG_LEVEL=/s);
	});
});
