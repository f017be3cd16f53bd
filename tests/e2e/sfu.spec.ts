import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { signJanusToken } from '../../sfu/janus-token.ts';
import { signUpPerson } from './support/api-client.ts';
import { startServer } from './support/server.ts';

type Reply = { janus: string; error?: { code: number; reason: string }; data?: { id: number } };

/** Opens /sfu as a browser would (janus-protocol), optionally with a session cookie. */
function sfuSocket(url: string, cookie?: string, origin?: string) {
	const ws = new WebSocket(url.replace('http', 'ws') + '/sfu', 'janus-protocol', { headers: { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) } });
	const replies: Reply[] = [];
	ws.on('message', (data) => replies.push(JSON.parse(String(data))));
	const refused = new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
	const opened = new Promise<void>((resolve) => ws.on('open', () => resolve()));
	ws.on('error', () => {});
	const ask = async (message: object) => {
		const count = replies.length;
		ws.send(JSON.stringify({ ...message, transaction: String(Math.random()) }));
		await expect.poll(() => replies.length, { timeout: 5000 }).toBeGreaterThan(count);
		return replies.at(-1)!;
	};
	return { ws, refused, opened, ask };
}

test('the /sfu proxy reaches the Janus sidecar only with a session, and Janus checks its tokens', async () => {
	test.skip(!existsSync('/usr/bin/janus'), 'janus is not installed (./parley test installs it)');
	test.setTimeout(60_000);
	const server = await startServer({ SFU: 'auto', JANUS_RTP_PORTS: '41000-41200' });
	try {
		// Janus starts in the background: wait until the proxy can reach it.
		const person = await signUpPerson(server.url, 'Sfu User');
		expect(await sfuSocket(server.url).refused).toBe(401);
		// Another site cannot use a visitor's cookies to reach the SFU.
		expect(await sfuSocket(server.url, person.cookie, 'https://evil.example').refused).toBe(403);

		let socket: ReturnType<typeof sfuSocket> | undefined;
		await expect.poll(async () => {
			const attempt = sfuSocket(server.url, person.cookie);
			const result = await Promise.race([attempt.opened.then(() => 'open'), attempt.refused.then((s) => String(s))]);
			if (result === 'open') socket = attempt;
			else attempt.ws.close();
			return result;
		}, { timeout: 20_000 }).toBe('open');

		const secret = JSON.parse((await import('node:fs')).readFileSync(`${server.dataDir}/secrets.json`, 'utf8')).janusTokenSecret as string;
		if (!socket) throw new Error('no SFU socket');
		const good = await socket.ask({ janus: 'create', token: signJanusToken(secret, 60) });
		expect(good.janus).toBe('success');
		const expired = await socket.ask({ janus: 'create', token: signJanusToken(secret, -5) });
		expect(expired).toMatchObject({ janus: 'error', error: { code: 403 } });
		const forged = await socket.ask({ janus: 'create', token: signJanusToken('someone-else', 60) });
		expect(forged).toMatchObject({ janus: 'error', error: { code: 403 } });
		socket.ws.close();
	} finally {
		expect(await server.stop()).toBe(0);
	}
});
