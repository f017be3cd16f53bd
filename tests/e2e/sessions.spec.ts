import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { call, signUpPerson, type Person } from './support/api-client.ts';
import { startServer, type RunningServer } from './support/server.ts';

/** Generous for a loaded two-core machine, and far below this server's periodic check: only the check after sign-out can end them in time. */
const ENDS_WITHIN_MS = 10_000;
let server: RunningServer;

test.beforeAll(async () => {
	server = await startServer({ SESSION_CHECK_SECONDS: '600' });
});
test.afterAll(() => server.stop());

/** A person's live connections: a sync socket to a room of theirs and the events stream; each resolves when the server ends it. */
async function liveConnections(who: Person) {
	const room = await call<{ id: string }>(server.url, who, 'POST', '/api/rooms', { name: 'Live' });
	const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sync/${room.body.id}`, { headers: { cookie: who.cookie, origin: server.url } });
	const socketClosed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
	await new Promise<void>((resolve) => ws.once('message', () => resolve()));
	const res = await fetch(`${server.url}/api/events`, { headers: { cookie: who.cookie, origin: server.url } });
	expect(res.status).toBe(200);
	const reader = res.body!.getReader();
	await reader.read();
	const streamEnded = (async () => {
		for (;;) if ((await reader.read()).done) return true;
	})();
	return { socketClosed: within(socketClosed, 'the sync socket'), streamEnded: within(streamEnded, 'the events stream') };
}

const within = <T>(promise: Promise<T>, what: string) =>
	Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not end within ${ENDS_WITHIN_MS} ms`)), ENDS_WITHIN_MS))]);

test('signing out ends that session’s chat sockets and event stream', async () => {
	const ann = await signUpPerson(server.url);
	const live = await liveConnections(ann);
	expect((await call(server.url, ann, 'POST', '/api/auth/sign-out', {})).status).toBe(200);
	expect(await live.socketClosed).toBe(4401);
	expect(await live.streamEnded).toBe(true);
});

test('“sign out everywhere” from another device ends the first device’s live connections', async () => {
	const ann = await signUpPerson(server.url);
	const res = await fetch(`${server.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ email: ann.email, password: ann.password }) });
	const otherDevice = { ...ann, cookie: res.headers.getSetCookie().find((c) => c.includes('session_token='))!.split(';')[0] };
	const live = await liveConnections(ann);
	expect((await call(server.url, otherDevice, 'POST', '/api/auth/revoke-other-sessions', {})).status).toBe(200);
	expect(await live.socketClosed).toBe(4401);
	expect(await live.streamEnded).toBe(true);
	// The device that revoked the others keeps working.
	expect((await call(server.url, otherDevice, 'GET', '/api/rooms')).status).toBe(200);
});

/** Signs `who` in again over the API: a second device, with its own session. */
async function secondDevice(who: Person): Promise<Person & { sessionId: string }> {
	const res = await fetch(`${server.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ email: who.email, password: who.password }) });
	const device = { ...who, cookie: res.headers.getSetCookie().find((c) => c.includes('session_token='))!.split(';')[0] };
	const session = await call<{ session: { id: string } }>(server.url, device, 'GET', '/api/auth/get-session');
	return { ...device, sessionId: session.body.session.id };
}

test('signing one device out from the account page ends that device’s live connections, not this one’s', async () => {
	const ann = await signUpPerson(server.url);
	const phone = await secondDevice(ann);
	const live = await liveConnections(phone);
	expect((await call(server.url, ann, 'DELETE', `/api/account/sessions/${phone.sessionId}`)).status).toBe(204);
	expect(await live.socketClosed).toBe(4401);
	expect(await live.streamEnded).toBe(true);
	expect((await call(server.url, phone, 'GET', '/api/rooms')).status).toBe(401);
	expect((await call(server.url, ann, 'GET', '/api/rooms')).status).toBe(200);
});

test('deleting the account ends the live connections of every device it was signed in on', async () => {
	// The first account on this server is its administrator, who cannot delete theirs.
	await signUpPerson(server.url, 'First Account');
	const ann = await signUpPerson(server.url);
	const phone = await secondDevice(ann);
	const live = [await liveConnections(ann), await liveConnections(phone)];
	expect((await call(server.url, ann, 'POST', '/api/auth/delete-user', {})).status).toBe(400);
	expect((await call(server.url, ann, 'POST', '/api/auth/delete-user', { password: ann.password })).status).toBe(200);
	for (const device of live) {
		// Her rooms had no one else in them: they went with her (4404) if that came before the session's end (4401).
		expect([4401, 4404]).toContain(await device.socketClosed);
		expect(await device.streamEnded).toBe(true);
	}
	expect((await call(server.url, phone, 'GET', '/api/rooms')).status).toBe(401);
});
