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
			signInRateLimit: 10,
			roomMemberLimit: 100,
			roomCreateRateLimit: 30,
			roomIdleMs: 30_000,
			addressHeader: undefined,
			secrets: { authSecret: undefined, vapidPublicKey: undefined, vapidPrivateKey: undefined, janusAdminKey: undefined, janusTokenSecret: undefined },
			sfu: { mode: 'auto', externalUrl: undefined, rtpPorts: '20000-20999', iface: undefined, publicIp: undefined },
			vapidSubject: undefined,
			ice: { stunUrls: [], turnUrls: [], turnSecret: undefined, turnTtlSeconds: 3600 },
			peerjsMaxFrameBytes: 65536
		});
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
