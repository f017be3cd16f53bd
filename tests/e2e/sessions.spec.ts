import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { call, signUpPerson, type Person } from './support/api-client.ts';

/** Generous for a loaded two-core machine; the server checks sessions every 5 s and at once after sign-out. */
const ENDS_WITHIN_MS = 10_000;

function syncSocket(baseURL: string, who: Person, roomId: string) {
	const ws = new WebSocket(`${baseURL.replace(/^http/, 'ws')}/sync/${roomId}`, { headers: { cookie: who.cookie, origin: baseURL } });
	const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
	const opened = new Promise<void>((resolve) => ws.once('message', () => resolve()));
	return { ws, closed, opened };
}

/** Opens the events stream; `ended` resolves when the server closes it. */
async function eventStream(baseURL: string, who: Person) {
	const res = await fetch(`${baseURL}/api/events`, { headers: { cookie: who.cookie, origin: baseURL } });
	expect(res.status).toBe(200);
	const reader = res.body!.getReader();
	await reader.read();
	const ended = (async () => {
		for (;;) if ((await reader.read()).done) return true;
	})();
	return { ended };
}

const within = <T>(promise: Promise<T>, what: string) =>
	Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not end within ${ENDS_WITHIN_MS} ms`)), ENDS_WITHIN_MS))]);

test('signing out ends that session’s chat sockets and event stream', async ({ baseURL }) => {
	const ann = await signUpPerson(baseURL!);
	const room = await call<{ id: string }>(baseURL!, ann, 'POST', '/api/rooms', { name: 'Session end' });
	const socket = syncSocket(baseURL!, ann, room.body.id);
	await socket.opened;
	const stream = await eventStream(baseURL!, ann);
	expect((await call(baseURL!, ann, 'POST', '/api/auth/sign-out', {})).status).toBe(200);
	expect(await within(socket.closed, 'the sync socket')).toBe(4401);
	expect(await within(stream.ended, 'the events stream')).toBe(true);
});

test('“sign out everywhere” from another device ends the first device’s live connections', async ({ baseURL }) => {
	const ann = await signUpPerson(baseURL!);
	const room = await call<{ id: string }>(baseURL!, ann, 'POST', '/api/rooms', { name: 'Revoked' });
	const res = await fetch(`${baseURL}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: baseURL! }, body: JSON.stringify({ email: ann.email, password: ann.password }) });
	const otherDevice = { ...ann, cookie: res.headers.getSetCookie().find((c) => c.includes('session_token='))!.split(';')[0] };
	const socket = syncSocket(baseURL!, ann, room.body.id);
	await socket.opened;
	const stream = await eventStream(baseURL!, ann);
	expect((await call(baseURL!, otherDevice, 'POST', '/api/auth/revoke-other-sessions', {})).status).toBe(200);
	expect(await within(socket.closed, 'the sync socket')).toBe(4401);
	expect(await within(stream.ended, 'the events stream')).toBe(true);
	// The device that revoked the others keeps working.
	expect((await call(baseURL!, otherDevice, 'GET', '/api/rooms')).status).toBe(200);
});
