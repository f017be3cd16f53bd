import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iceServersFor } from './ice-servers.ts';

describe('iceServersFor', () => {
	const now = Date.UTC(2026, 10, 21);
	it('gives STUN only when no TURN is configured', () => {
		expect(iceServersFor('u1', { stunUrls: ['stun:stun.example.org:3478'], turnUrls: [], turnTtlSeconds: 3600 }, now)).toEqual([{ urls: ['stun:stun.example.org:3478'] }]);
		expect(iceServersFor('u1', { stunUrls: [], turnUrls: ['turn:t.example.org'], turnTtlSeconds: 3600 }, now)).toEqual([]);
	});

	it('gives TURN credentials coturn checks with its shared secret, valid for the configured time', () => {
		const [turn] = iceServersFor('u1', { stunUrls: [], turnUrls: ['turn:t.example.org:3478?transport=udp'], turnSecret: 's3cret', turnTtlSeconds: 600 }, now);
		const expiry = now / 1000 + 600;
		expect(turn).toEqual({
			urls: ['turn:t.example.org:3478?transport=udp'],
			username: `${expiry}:u1`,
			credential: createHmac('sha1', 's3cret').update(`${expiry}:u1`).digest('base64')
		});
	});
});
