import type { IncomingMessage } from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { Auth } from './auth.ts';
import { LiveSessions } from './live-sessions.ts';
import { createLogger } from './log.ts';
import { createUpgradeAuth, headersOf, sameOriginUpgrade } from './upgrade-auth.ts';

const request = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;

describe('sameOriginUpgrade', () => {
	it('takes the configured origin only, when there is one', () => {
		expect(sameOriginUpgrade(request({ origin: 'https://chat.example', host: 'chat.example' }), 'https://chat.example')).toBe(true);
		expect(sameOriginUpgrade(request({ origin: 'https://evil.example', host: 'chat.example' }), 'https://chat.example')).toBe(false);
		expect(sameOriginUpgrade(request({ origin: 'http://chat.example', host: 'chat.example' }), 'https://chat.example')).toBe(false);
	});

	it('without one, takes the request’s own host; a client that sends no Origin is not a browser page', () => {
		expect(sameOriginUpgrade(request({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }), undefined)).toBe(true);
		expect(sameOriginUpgrade(request({ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:3000' }), undefined)).toBe(false);
		expect(sameOriginUpgrade(request({ origin: 'http://x' }), undefined)).toBe(false);
		expect(sameOriginUpgrade(request({ host: 'x' }), 'https://chat.example')).toBe(true);
	});
});

describe('headersOf', () => {
	it('keeps repeated headers', () => {
		const headers = headersOf(request({ cookie: 'a=1', 'x-many': ['1', '2'] }));
		expect(headers.get('cookie')).toBe('a=1');
		expect(headers.get('x-many')).toBe('1, 2');
	});
});

describe('createUpgradeAuth', () => {
	const sessions = new Map([['a=1', { user: { id: 'ann' }, session: { id: 's1' } }]]);
	const auth = { api: { getSession: async ({ headers }: { headers: Headers }) => sessions.get(headers.get('cookie') ?? '') ?? null } } as unknown as Auth;
	const db = new DatabaseSync(':memory:');
	db.exec('create table session (id text primary key, expiresAt integer)');
	const liveSessions = new LiveSessions({ db, log: createLogger('error'), intervalMs: 60_000 });
	const authenticate = createUpgradeAuth({ auth, liveSessions, origin: 'https://chat.example' });

	it('refuses another site before looking at the session, and refuses nobody signed in', async () => {
		expect(await authenticate(request({ origin: 'https://evil.example', cookie: 'a=1' }))).toBe('cross-site');
		expect(await authenticate(request({ origin: 'https://chat.example', cookie: 'nobody' }))).toBe('signed-out');
	});

	it('names the person and session, and ends the connection when that session ends', async () => {
		const caller = await authenticate(request({ origin: 'https://chat.example', cookie: 'a=1' }));
		if (typeof caller === 'string') throw new Error(caller);
		expect(caller).toMatchObject({ userId: 'ann', sessionId: 's1' });
		const ended: string[] = [];
		caller.watch((reason) => ended.push(reason));
		liveSessions.check();
		expect(ended).toEqual(['Your session has ended; sign in again.']);
		liveSessions.close();
	});
});
