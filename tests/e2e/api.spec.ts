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
