import { createECDH, randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { call, signUpPerson } from './support/api-client.ts';
import { startServer, type RunningServer } from './support/server.ts';

/** Web push with the default settings: endpoints must be public, ringing is limited. */
let server: RunningServer;
test.beforeAll(async () => {
	server = await startServer({ RING_RATE_LIMIT: '3' });
});
test.afterAll(async () => {
	await server?.stop();
});

const keys = () => {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	return { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') };
};

test('a push endpoint on a private address, another port or plain http is refused with a 400 naming the endpoint', async () => {
	const ann = await signUpPerson(server.url, 'Ann');
	for (const endpoint of ['https://127.0.0.1/push/a', 'https://localhost/push/b', 'https://10.0.0.7/push/c', 'https://[::1]/push/d', 'https://8.8.8.8:8443/push/e', 'http://8.8.8.8/push/f']) {
		const res = await call<{ error: string; field: string }>(server.url, ann, 'POST', '/api/push/subscriptions', { endpoint, keys: keys() });
		expect(res.status, endpoint).toBe(400);
		expect(res.body.field).toBe('endpoint');
		expect(res.body.error).toMatch(/endpoint must be/);
	}
});

test('ringing more than the limit a minute is refused with 429 and when to try again', async () => {
	const ann = await signUpPerson(server.url, 'Ann');
	const room = await call<{ id: string }>(server.url, ann, 'POST', '/api/rooms', { name: 'Ringing' });
	expect(room.status).toBe(201);
	for (let i = 0; i < 3; i++) expect((await call(server.url, ann, 'POST', `/api/rooms/${room.body.id}/ring`)).status).toBe(202);
	const refused = await call<{ error: string }>(server.url, ann, 'POST', `/api/rooms/${room.body.id}/ring`);
	expect(refused.status).toBe(429);
	expect(refused.body.error).toMatch(/try again in \d+ seconds/);
	// "Decline" (sent by a notification's button) has the same limit.
	for (let i = 0; i < 3; i++) expect((await call(server.url, ann, 'POST', `/api/rooms/${room.body.id}/ring/decline`)).status).toBe(204);
	expect((await call(server.url, ann, 'POST', `/api/rooms/${room.body.id}/ring/decline`)).status).toBe(429);
});
