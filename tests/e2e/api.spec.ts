import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { call, signUpPerson } from './support/api-client.ts';
import { newPerson } from './support/users.ts';

const json = { 'content-type': 'application/json' };

test.describe('sign-up validation', () => {
	test('a bad email is a 400 naming the email field', async ({ request }) => {
		const res = await request.post('/api/auth/sign-up/email', { headers: json, data: { ...newPerson(), email: 'not-an-email' } });
		expect(res.status()).toBe(400);
		expect(await res.json()).toEqual({ error: 'Enter a valid email address, like name@example.org', field: 'email' });
	});

	test('a short password is a 400 naming the password field', async ({ request }) => {
		const res = await request.post('/api/auth/sign-up/email', { headers: json, data: { ...newPerson(), password: 'seven77' } });
		expect(res.status()).toBe(400);
		expect(await res.json()).toMatchObject({ field: 'password', error: expect.stringMatching(/at least 8 characters/) });
	});

	test('a missing name is a 400 naming the name field', async ({ request }) => {
		const { email, password } = newPerson();
		const res = await request.post('/api/auth/sign-up/email', { headers: json, data: { email, password } });
		expect(res.status()).toBe(400);
		expect(await res.json()).toMatchObject({ field: 'name' });
	});

	test('malformed JSON is a 400 with a readable message', async ({ request }) => {
		const res = await request.post('/api/auth/sign-up/email', { headers: json, data: Buffer.from('{"name": "Ann", ') });
		expect(res.status()).toBe(400);
		expect((await res.json()).error).toMatch(/^The request body is not valid JSON/);
	});
});

test.describe('update-user keeps to the name rules of sign-up', () => {
	for (const [what, name, message] of [
		['a 900,000-character name', 'x'.repeat(900_000), /at most 80 characters/],
		['an empty name', '', /Enter your name/]
	] as const) {
		test(`${what} is a 400 naming the name field, and the name stays`, async ({ baseURL }) => {
			const ann = await signUpPerson(baseURL!, 'Ann');
			const res = await call<{ error: string; field: string }>(baseURL!, ann, 'POST', '/api/auth/update-user', { name });
			expect(res.status).toBe(400);
			expect(res.body).toEqual({ error: expect.stringMatching(message), field: 'name' });
			const session = await call<{ user: { name: string } }>(baseURL!, ann, 'GET', '/api/auth/get-session');
			expect(session.body.user.name).toBe(ann.name);
		});
	}
});

test('a body over 1 MB is refused with 413', async ({ request }) => {
	const res = await request.post('/api/auth/sign-up/email', { headers: json, data: JSON.stringify({ name: 'x'.repeat(1_100_000) }) });
	expect(res.status()).toBe(413);
	expect((await res.json()).error).toMatch(/limit is 1048576 bytes/);
});

test('/healthz answers ok and the version', async ({ request }) => {
	const res = await request.get('/healthz');
	expect(res.status()).toBe(200);
	expect(await res.json()).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
});

test('pages carry the security headers', async ({ request }) => {
	const res = await request.get('/signin');
	const headers = res.headers();
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
	const csp = headers['content-security-policy'];
	expect(csp).toContain("default-src 'self'");
	expect(csp).toContain("connect-src 'self'");
	expect(csp).toContain("media-src 'self' blob:");
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
});

for (const path of ['/offline.html', '/api/auth/error', '/api/auth/ok', '/favicon.svg', '/healthz', '/api/rooms']) {
	test(`${path} carries the CSP and the security headers too`, async ({ request }) => {
		const headers = (await request.get(path)).headers();
		expect(headers['content-security-policy']).toContain("default-src 'self'");
		expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
		expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(headers['x-content-type-options']).toBe('nosniff');
		expect(headers['x-frame-options']).toBe('DENY');
	});
}

test('a page keeps SvelteKit’s own policy, one header with nonces or hashes', async ({ request }) => {
	const csp = (await request.get('/signin')).headersArray().filter((h) => h.name.toLowerCase() === 'content-security-policy');
	expect(csp).toHaveLength(1);
	expect(csp[0].value).toMatch(/script-src 'self' '(nonce|sha256)-/);
});

test.describe('a sign-in link with a control character in next', () => {
	for (const next of ['/rooms/x\ty', '/\t/evil.example', '/\n/evil.example']) {
		test(`next=${JSON.stringify(next)} sends a signed-in person home, never a 500`, async ({ baseURL }) => {
			const ann = await signUpPerson(baseURL!, 'Ann');
			for (const page of ['/signin', '/signup']) {
				const res = await fetch(`${baseURL}${page}?next=${encodeURIComponent(next)}`, { headers: { cookie: ann.cookie }, redirect: 'manual' });
				expect(res.status).toBe(303);
				expect(res.headers.get('location')).toBe('/');
			}
		});
	}
});

test('a write from another site is refused', async ({ request }) => {
	const res = await request.post('/api/auth/sign-in/email', {
		headers: { ...json, origin: 'https://evil.example' },
		data: { email: 'a@b.org', password: 'whatever1' }
	});
	expect(res.status()).toBe(403);
});

test('the session cookie is httpOnly and SameSite', async ({ request }) => {
	const res = await request.post('/api/auth/sign-up/email', { headers: json, data: newPerson() });
	expect(res.status()).toBe(200);
	const cookie = res.headers()['set-cookie'];
	expect(cookie).toMatch(/session_token=/);
	expect(cookie).toMatch(/HttpOnly/i);
	expect(cookie).toMatch(/SameSite=Lax/i);
});

test('a WebSocket upgrade to an unknown path is refused', async ({ baseURL }) => {
	const ws = new WebSocket(baseURL!.replace('http', 'ws') + '/nowhere');
	const status = await new Promise<number>((resolve, reject) => {
		ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
		ws.on('open', () => reject(new Error('upgrade was accepted')));
		ws.on('error', () => {});
	});
	expect(status).toBe(404);
});

test('an account that fails to sign in 5 times must wait, whichever address tries, even with the right password', async ({ baseURL }) => {
	const ann = await signUpPerson(baseURL!, 'Ann');
	const signIn = (password: string) => call<{ error: string; field: string }>(baseURL!, null, 'POST', '/api/auth/sign-in/email', { email: ann.email, password });
	for (let i = 0; i < 5; i++) expect((await signIn('wrong password')).status).toBe(401);
	const refused = await signIn(ann.password);
	expect(refused.status).toBe(429);
	expect(refused.body).toEqual({ error: expect.stringMatching(/^Too many failed sign-ins for this account\. Try again in \d+ seconds\.$/), field: 'email' });
	// Another account is not held up.
	const bob = await signUpPerson(baseURL!, 'Bob');
	expect((await call(baseURL!, null, 'POST', '/api/auth/sign-in/email', { email: bob.email, password: bob.password })).status).toBe(200);
});

test('looking people up by exact email is limited per person (30 an hour); searching by name is not', async ({ baseURL }) => {
	const ann = await signUpPerson(baseURL!, 'Ann');
	const bob = await signUpPerson(baseURL!, 'Bob');
	expect((await call<{ users: { id: string }[] }>(baseURL!, ann, 'GET', `/api/users?q=${encodeURIComponent(bob.email)}`)).body.users.map((u) => u.id)).toEqual([bob.id]);
	for (let i = 1; i < 30; i++) expect((await call(baseURL!, ann, 'GET', `/api/users?q=guess${i}%40parley.test`)).status).toBe(200);
	const refused = await call<{ error: string; field: string }>(baseURL!, ann, 'GET', `/api/users?q=${encodeURIComponent(bob.email)}`);
	expect(refused.status).toBe(429);
	expect(refused.body).toEqual({ error: expect.stringMatching(/email addresses in the last hour; try again in \d+ minutes/), field: 'q' });
	expect((await call(baseURL!, ann, 'GET', '/api/users?q=Bob')).status).toBe(200);
});
