import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { send, sessionCookie } from './support/http.ts';
import { freshDataDir, startServer } from './support/server.ts';
import { newPerson } from './support/users.ts';

// Each test here starts its own server process.
test.describe.configure({ mode: 'parallel' });

const ROOT = join(import.meta.dirname, '../..');
/** Runs `node server/main.ts` expecting it to refuse to start. */
function startExpectingFailure(env: Record<string, string>) {
	const run = spawnSync(process.execPath, ['server/main.ts'], {
		cwd: ROOT,
		env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
		encoding: 'utf8',
		timeout: 20_000
	});
	return { code: run.status, stderr: run.stderr };
}

test('a session survives a restart, and secrets are generated once with mode 600', async () => {
	const first = await startServer();
	const person = newPerson();
	const signUp = await send(`${first.url}/api/auth/sign-up/email`, { body: person });
	expect(signUp.status).toBe(200);
	const cookie = sessionCookie(signUp);
	const secretsFile = join(first.dataDir, 'secrets.json');
	expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
	const secretsBefore = statSync(secretsFile).mtimeMs;
	expect(await first.stop()).toBe(0);

	const second = await startServer({ DATA_DIR: first.dataDir });
	const lobby = await send(`${second.url}/`, { headers: { cookie } });
	expect(lobby.status).toBe(200);
	expect(lobby.body).toContain(person.name);
	expect(statSync(secretsFile).mtimeMs).toBe(secretsBefore);
	expect(await second.stop()).toBe(0);
});

test('SIGTERM closes open connections and exits cleanly', async () => {
	const server = await startServer();
	// Keep a connection open with a request in flight-free keep-alive.
	await send(`${server.url}/healthz`, { headers: { connection: 'keep-alive' } });
	const started = Date.now();
	expect(await server.stop('SIGTERM')).toBe(0);
	expect(Date.now() - started).toBeLessThan(6000);
	expect(server.output()).toContain('"server.stopped"');
});

test('SIGTERM with WebSockets open still exits cleanly and promptly', async () => {
	const server = await startServer();
	const { call, signUpPerson } = await import('./support/api-client.ts');
	const person = await signUpPerson(server.url, 'Open Socket');
	const room = await call<{ id: string }>(server.url, person, 'POST', '/api/rooms', { name: 'Open' });
	const ws = new (await import('ws')).default(`${server.url.replace('http', 'ws')}/sync/${room.body.id}`, { headers: { cookie: person.cookie } });
	await new Promise((resolve) => ws.on('message', resolve));
	expect(ws.readyState).toBe(ws.OPEN);
	const started = Date.now();
	expect(await server.stop('SIGTERM')).toBe(0);
	expect(Date.now() - started).toBeLessThan(4000);
});

test('sign-in is rate limited per client address (10 a minute by default)', async () => {
	// The per-account limit (api.spec.ts) is lifted here, so that only the per-address one is seen.
	const server = await startServer({ SIGNIN_ACCOUNT_FAILURES: '1000' });
	const person = newPerson();
	expect((await send(`${server.url}/api/auth/sign-up/email`, { body: person })).status).toBe(200);
	const attacker = '127.0.0.2';
	const statuses: number[] = [];
	for (let i = 0; i < 11; i++) {
		const reply = await send(`${server.url}/api/auth/sign-in/email`, { body: { email: person.email, password: 'wrong password' }, localAddress: attacker });
		statuses.push(reply.status);
	}
	expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
	expect(statuses[10]).toBe(429);
	// The right password from the same address is still refused for now; another address is not affected.
	expect((await send(`${server.url}/api/auth/sign-in/email`, { body: person, localAddress: attacker })).status).toBe(429);
	expect((await send(`${server.url}/api/auth/sign-in/email`, { body: person, localAddress: '127.0.0.3' })).status).toBe(200);
	await server.stop();
});

test('an unwritable DATA_DIR stops start with a message naming the folder', () => {
	const file = join(mkdtempSync(join(tmpdir(), 'parley-file-')), 'not-a-folder');
	writeFileSync(file, '');
	const dataDir = join(file, 'data');
	const { code, stderr } = startExpectingFailure({ DATA_DIR: dataDir });
	expect(code).toBe(1);
	expect(stderr).toContain(`DATA_DIR ${dataDir} is not a writable folder`);
});

test('a database from a newer Parley is refused with a clear message', () => {
	const dataDir = freshDataDir();
	const db = new DatabaseSync(join(dataDir, 'parley.sqlite'));
	db.exec('pragma user_version = 999');
	db.close();
	const { code, stderr } = startExpectingFailure({ DATA_DIR: dataDir });
	expect(code).toBe(1);
	expect(stderr).toMatch(/schema version 999.*written by a newer Parley/);
});

test('a bad setting stops start with a message naming the variable', () => {
	const { code, stderr } = startExpectingFailure({ DATA_DIR: freshDataDir(), PORT: 'eighty' });
	expect(code).toBe(1);
	expect(stderr).toContain('PORT="eighty": must be a number');
});
