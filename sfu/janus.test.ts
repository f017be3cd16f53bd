import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createLogger } from '../src/lib/server/log.ts';
import { JanusApi, JanusError } from './janus-api.ts';
import { defaultInterface, writeJanusConfig } from './janus-config.ts';
import { janusInstalled, JanusProcess } from './janus-process.ts';
import { JanusRooms } from './janus-rooms.ts';
import { signJanusRoomToken, signJanusToken } from './janus-token.ts';
import { freePort } from '../server/free-port.ts';

// Real Janus (Debian package) on loopback; `./parley test` installs it.
describe.skipIf(!janusInstalled())('the Janus sidecar', () => {
	const tokenSecret = randomBytes(16).toString('hex');
	const adminKey = randomBytes(16).toString('hex');
	let janus: JanusProcess;

	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'parley-janus-'));
		const wsPort = await freePort();
		writeJanusConfig({
			dir,
			wsPort,
			rtpPortRange: '40000-40100',
			adminKey,
			tokenAuthSecret: tokenSecret,
			iface: defaultInterface(),
			pluginsFolder: '/usr/lib/x86_64-linux-gnu/janus/plugins',
			transportsFolder: '/usr/lib/x86_64-linux-gnu/janus/transports'
		});
		janus = new JanusProcess({ configDir: dir, wsPort, tokenSecret, log: createLogger('error') });
		const starting = janus.start();
		// Calls move to Janus only once it answers, not as soon as it is spawned.
		expect(janus.answering).toBe(false);
		await starting;
		expect(janus.answering).toBe(true);
	}, 30_000);
	afterAll(() => janus?.stop());

	it('creates a videoroom (with audio-level events and a room token list) only with the admin key', async () => {
		const api = await JanusApi.connect(janus.url, signJanusToken(tokenSecret, 60));
		await api.open();
		const room = 1000 + Math.floor(Math.random() * 1e6);
		await expect(api.videoroom({ request: 'create', room, secret: 's', publishers: 8 })).rejects.toThrow(JanusError);
		const created = await api.videoroom({ request: 'create', room, admin_key: adminKey, secret: 's', publishers: 8, audiolevel_event: true, allowed: ['good-token'] });
		expect(created).toMatchObject({ videoroom: 'created', room });
		expect(await api.videoroom({ request: 'exists', room })).toMatchObject({ exists: true });
		await api.videoroom({ request: 'destroy', room, secret: 's' });
		api.close();
	});

	it('makes call rooms that only a fresh token for that very room can join', async () => {
		const rooms = new JanusRooms({ url: () => janus.url, adminKey, tokenSecret, log: createLogger('error') });
		const [mine, other] = [await rooms.create(10), await rooms.create(10)];
		const api = await JanusApi.connect(janus.url, signJanusToken(tokenSecret, 60));
		await api.open();
		const join = (room: number, token?: string) => api.videoroom({ request: 'join', ptype: 'publisher', room, display: 'x', ...(token ? { token } : {}) });
		await expect(join(mine.id)).rejects.toThrow(/Unauthorized/i);
		await expect(join(mine.id, signJanusRoomToken(tokenSecret, other.id, 60))).rejects.toThrow(/Unauthorized/i);
		await expect(join(mine.id, signJanusRoomToken(tokenSecret, mine.id, -5))).rejects.toThrow(/Unauthorized/i);
		await expect(join(mine.id, signJanusRoomToken('not-the-secret', mine.id, 60))).rejects.toThrow(/Unauthorized/i);
		expect(await join(mine.id, signJanusRoomToken(tokenSecret, mine.id, 60))).toMatchObject({ videoroom: 'joined', room: mine.id });
		api.close();
		await rooms.destroy(mine);
		await rooms.destroy(other);
		const check = await JanusApi.connect(janus.url, signJanusToken(tokenSecret, 60));
		await check.open();
		expect(await check.videoroom({ request: 'exists', room: mine.id })).toMatchObject({ exists: false });
		check.close();
		rooms.close();
	});

	it('makes call rooms whose participants can neither record nor lift the bitrate cap', async () => {
		const rooms = new JanusRooms({ url: () => janus.url, adminKey, tokenSecret, log: createLogger('error'), bitrate: 800_000 });
		const room = await rooms.create(10);
		const api = await JanusApi.connect(janus.url, signJanusToken(tokenSecret, 60));
		await api.open();
		const { list } = (await api.videoroom({ request: 'list', admin_key: adminKey })) as { list: { room: number }[] };
		expect(list.find((r) => r.room === room.id)).toMatchObject({ record: false, lock_record: true, bitrate: 800_000, bitrate_cap: true });
		api.close();
		await rooms.destroy(room);
		rooms.close();
	});

	it('refuses sessions with an expired or forged token', async () => {
		const expired = await JanusApi.connect(janus.url, signJanusToken(tokenSecret, -10));
		await expect(expired.open()).rejects.toThrow(/Unauthorized/i);
		expired.close();
		const forged = await JanusApi.connect(janus.url, signJanusToken('not-the-secret', 60));
		await expect(forged.open()).rejects.toThrow(/Unauthorized/i);
		forged.close();
	});

	it('is restarted when it dies, and answers again within 10 s', async () => {
		const before = janus.pid;
		const exited = new Promise<void>((resolve) => {
			const poll = setInterval(() => {
				if (!janus.answering) resolve(clearInterval(poll));
			}, 5);
		});
		process.kill(before!, 'SIGKILL');
		const started = Date.now();
		await exited;
		await new Promise((r) => setTimeout(r, 100));
		await janus.ready();
		expect(janus.answering).toBe(true);
		expect(janus.pid).not.toBe(before);
		const api = await JanusApi.connect(janus.url, signJanusToken(tokenSecret, 60));
		await api.open();
		api.close();
		expect(Date.now() - started).toBeLessThan(10_000);
	}, 20_000);
});

describe('the Janus API connection', () => {
	it('fails a request that Janus never answers, within its bound, and keeps the connection usable', async () => {
		const silent = new WebSocketServer({ port: 0, host: '127.0.0.1' });
		await new Promise((r) => silent.once('listening', r));
		let requests = 0;
		silent.on('connection', (socket) =>
			socket.on('message', (data) => {
				requests += 1;
				// Answers only the second request, and a line that is not JSON first: neither hangs nor throws.
				const { transaction } = JSON.parse(String(data)) as { transaction: string };
				socket.send('not json');
				if (requests === 2) socket.send(JSON.stringify({ janus: 'server_info', transaction }));
			})
		);
		const { port } = silent.address() as { port: number };
		const api = await JanusApi.connect(`ws://127.0.0.1:${port}`, 'token', 2000, 200);
		const started = Date.now();
		await expect(api.info()).rejects.toThrow(/did not answer info within 200 ms/);
		expect(Date.now() - started).toBeLessThan(2000);
		await expect(api.info()).resolves.toMatchObject({ janus: 'server_info' });
		api.close();
		silent.close();
	});
});
