import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { signUpPerson } from './support/api-client.ts';
import { startServer } from './support/server.ts';

/** Opens /sfu as a browser would (janus-protocol); resolves with the HTTP status of a refusal. */
function refusal(url: string, options: { cookie?: string; origin?: string; ticket?: string } = {}) {
	const query = options.ticket === undefined ? '' : `?ticket=${options.ticket}`;
	const headers = { ...(options.cookie ? { cookie: options.cookie } : {}), ...(options.origin ? { origin: options.origin } : {}) };
	const ws = new WebSocket(`${url.replace('http', 'ws')}/sfu${query}`, 'janus-protocol', { headers });
	ws.on('error', () => {});
	return new Promise<number>((resolve) => {
		ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
		ws.on('open', () => {
			ws.close();
			resolve(101);
		});
	});
}

/** Whether a process runs (a zombie waiting for its reaper has already exited). */
function running(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
	return !/^\d+ \(.*\) Z/.test(stat);
}

test('the /sfu proxy needs a session, this site, and a ticket for a call on the SFU', async () => {
	test.skip(!existsSync('/usr/bin/janus'), 'janus is not installed (./parley test installs it)');
	test.setTimeout(60_000);
	const server = await startServer({ SFU: 'auto', JANUS_RTP_PORTS: '41000-41200' });
	try {
		const person = await signUpPerson(server.url, 'Sfu User');
		expect(await refusal(server.url)).toBe(401);
		// Another site cannot use a visitor's cookies to reach the SFU.
		expect(await refusal(server.url, { cookie: person.cookie, origin: 'https://evil.example' })).toBe(403);
		// Janus starts in the background (503 until then); a session alone, or a made-up ticket, opens nothing.
		await expect.poll(() => refusal(server.url, { cookie: person.cookie }), { timeout: 20_000 }).toBe(403);
		expect(await refusal(server.url, { cookie: person.cookie, ticket: 'made-up' })).toBe(403);
	} finally {
		expect(await server.stop()).toBe(0);
	}
});

test('Janus never outlives the server: killed with SIGKILL, the server takes its Janus child with it', async () => {
	test.skip(!existsSync('/usr/bin/janus'), 'janus is not installed (./parley test installs it)');
	test.setTimeout(60_000);
	const server = await startServer({ SFU: 'auto', JANUS_RTP_PORTS: '41200-41400' });
	const pidFile = join(server.dataDir, 'janus', 'janus.pid');
	await expect.poll(() => existsSync(pidFile), { timeout: 20_000 }).toBe(true);
	const pid = Number(readFileSync(pidFile, 'utf8'));
	expect(running(pid)).toBe(true);
	await server.stop('SIGKILL');
	await expect.poll(() => running(pid), { timeout: 10_000 }).toBe(false);
});
