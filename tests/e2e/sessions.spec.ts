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
