import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { newMessageKey, parseMessageKey } from '../../src/lib/core/chat/message-key.ts';
import { MESSAGES } from '../../src/lib/core/chat/schema.ts';
import { connect, liveDocument, waitFor } from '../../sync/test-harness.ts';
import { call, createRoomWithMembers, signUpPerson, type Person } from './support/api-client.ts';
import { EXTRA_PATHS, garbageFrames, httpCase, listRoutes, sweepCases, upgradeCase, type FuzzCase, type Target } from './support/fuzz-cases.ts';
import { prng, type Random } from './support/prng.ts';
import { rawRequest, requestBytes, upgradeHeaders } from './support/raw-http.ts';
import { startServer } from './support/server.ts';

// The same seed gives the same cases; FUZZ_SEED=<n> tries others. Every failure names the seed.
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const COUNTS = { upgrades: 120, sockets: 40, http: 200 };
const CONCURRENCY = 6;
const ROUTES_DIR = join(import.meta.dirname, '../../src/routes');

/** Plays Janus behind /sfu: accepts its subprotocol and answers every frame with the same bytes. */
async function fakeJanus() {
	const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'janus-protocol' });
	wss.on('connection', (ws) => {
		ws.on('error', () => {});
		ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
	});
	await new Promise((resolve) => wss.once('listening', resolve));
	return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, close: () => wss.close() };
}

/** A signed-in person's WebSocket on each service, then garbage frames (the peer id is issued just before). */
function socketCase(target: Target, random: Random): (person: Person, baseUrl: string) => Promise<FuzzCase> {
	const kind = random.pick(['sync', 'sync-ack', 'peerjs', 'sfu'] as const);
	const frames = garbageFrames(random);
	const reset = random.chance(0.15);
	const sameOrigin = random.chance(0.5);
	// The room's main document (presence and calls) or this month's (its messages).
	const document = random.chance(0.5) ? liveDocument(target.roomId) : target.roomId;
	return async (person, baseUrl) => {
		let path = `/sync/${document}${kind === 'sync-ack' ? '?ack=1' : ''}`;
		if (kind === 'sfu') path = '/sfu';
		if (kind === 'peerjs') {
			const issued = await call<{ peerId: string }>(baseUrl, person, 'POST', `/api/rooms/${target.roomId}/call/peer`);
			path = `/peerjs/peerjs?key=parley&id=${issued.body.peerId}&token=fuzz`;
		}
		const headers: [string, string][] = [...upgradeHeaders(`127.0.0.1:${target.port}`), ['Cookie', person.cookie]];
		if (kind === 'sfu') headers.push(['Sec-WebSocket-Protocol', 'janus-protocol']);
		if (sameOrigin) headers.push(['Origin', baseUrl]);
		return { kind, label: `signed-in ${kind} ${path} then ${frames.length} frames ${JSON.stringify(frames.map((f) => f.subarray(0, 24).toString('hex')))}`, bytes: requestBytes('GET', path, headers), afterUpgrade: frames, reset };
	};
}

test('fuzz: malformed upgrades, frames and requests never stop the server, and an honest client still chats afterwards', async () => {
	test.setTimeout(150_000);
	const janus = await fakeJanus();
	const server = await startServer({ SIGNIN_RATE_LIMIT: '1000', ROOM_CREATE_RATE_LIMIT: '100000', JANUS_URL: janus.url });
	let exit: string | null = null;
	const inFlight = new Set<string>();
	const recent: string[] = [];
	let inFlightAtExit: string[] = [];
	server.process.on('exit', (code, signal) => {
		exit = `exited (code ${code}, signal ${signal})`;
		inFlightAtExit = inFlight.size ? [...inFlight] : recent.slice(-2 * CONCURRENCY);
	});
	const port = Number(new URL(server.url).port);
	const seedNote = `seed ${SEED} (rerun with FUZZ_SEED=${SEED})`;
	test.info().annotations.push({ type: 'fuzz seed', description: String(SEED) });

	try {
		const ann = await signUpPerson(server.url, 'Ann');
		const mallory = await signUpPerson(server.url, 'Mallory');
		const room = { body: await createRoomWithMembers(server.url, mallory, 'Fuzz', [ann]) };
		const invite = await call<{ token: string }>(server.url, mallory, 'POST', `/api/rooms/${room.body.id}/invites`, {});
		expect(invite.status).toBe(201);
		const random = prng(SEED);
		const routes = [...listRoutes(ROUTES_DIR), ...EXTRA_PATHS];
		expect(routes).toContain('/api/rooms/[id]/members/[userId]');

		// Every case is drawn before any runs, so the order they finish in cannot change what a seed means.
		const annTarget: Target = { port, roomId: room.body.id, inviteToken: invite.body.token, otherUserId: mallory.id, cookie: ann.cookie };
		const malloryTarget: Target = { ...annTarget, otherUserId: ann.id, cookie: mallory.cookie };
		const upgrades = Array.from({ length: COUNTS.upgrades }, () => upgradeCase(annTarget, random));
		const sockets = Array.from({ length: COUNTS.sockets }, () => socketCase(annTarget, random));
		const requests = Array.from({ length: COUNTS.http }, () => httpCase(routes, malloryTarget, random));
		const sweep = sweepCases(routes, malloryTarget);

		const serverErrors: string[] = [];
		const upgraded = new Set<string>();
		async function runAll(phase: string, cases: (() => Promise<FuzzCase>)[]) {
			let next = 0;
			const worker = async () => {
				while (next < cases.length && !exit) {
					const index = next++;
					const c = await cases[index]();
					const label = `${phase} #${index}: ${c.label}`;
					inFlight.add(label);
					recent.push(label);
					const reply = await rawRequest(port, c.bytes, { afterUpgrade: c.afterUpgrade, reset: c.reset });
					inFlight.delete(label);
					if (reply.status === 101 && c.kind) upgraded.add(c.kind);
					if (reply.status !== null && reply.status >= 500) serverErrors.push(`${reply.status} for ${phase} #${index}: ${c.label}`);
				}
			};
			await Promise.all(Array.from({ length: CONCURRENCY }, worker));
			// A crash can show a moment after the request that caused it.
			await new Promise((resolve) => setTimeout(resolve, 200));
			if (exit) {
				throw new Error(
					`${seedNote}: the server ${exit} during the ${phase} cases. Cases in flight (or just run) then:\n${inFlightAtExit.join('\n')}\n` +
						`Server output (last lines):\n${server.output().split('\n').slice(-25).join('\n')}`
				);
			}
		}
		await runAll('upgrade', upgrades.map((c) => async () => c));
		await runAll('signed-in socket', sockets.map((make) => () => make(ann, server.url)));
		await runAll('sweep', sweep.map((c) => async () => c));
		await runAll('http', requests.map((c) => async () => c));

		// The garbage reached every service: each accepted a signed-in person's socket at least once. (/sfu opens
		// only with a ticket for a call on the SFU, which needs a real Janus: sfu/sfu-proxy.test.ts sends it garbage.)
		expect([...upgraded].sort(), seedNote).toEqual(['peerjs', 'sync', 'sync-ack']);

		expect(serverErrors, `${seedNote}: bad input must be refused with a 4xx, not a server error`).toEqual([]);
		const health = await fetch(`${server.url}/healthz`);
		expect(health.status, seedNote).toBe(200);
		// One plain line says where Parley runs (for people); every other line is one JSON object.
		const notJson = server.output().split('\n').filter((line) => line && !isJson(line) && !/^Parley \S+ is running at /.test(line));
		expect(notJson, `${seedNote}: every log line is one JSON object`).toEqual([]);

		// An honest pair still chats: a new room, a message synced through /sync with the stock y-websocket client.
		const [amy, bob] = [await signUpPerson(server.url, 'Amy'), await signUpPerson(server.url, 'Bob')];
		const after = { body: await createRoomWithMembers(server.url, amy, 'After the fuzz', [bob]) };
		const wsUrl = server.url.replace('http', 'ws') + '/sync';
		const a = connect(wsUrl, liveDocument(after.body.id), { id: amy.id, name: amy.name, cookie: amy.cookie });
		const b = connect(wsUrl, liveDocument(after.body.id), { id: bob.id, name: bob.name, cookie: bob.cookie });
		try {
			await waitFor(() => a.provider.synced && b.provider.synced, 15_000, 'both synced');
			const key = newMessageKey(amy.id);
			a.doc.getMap(MESSAGES).set(key, { text: 'still here', createdAt: parseMessageKey(key)!.time });
			await waitFor(() => b.doc.getMap(MESSAGES).has(key), 15_000, "Amy's message at Bob");
		} finally {
			a.provider.destroy();
			b.provider.destroy();
		}
		expect(exit, seedNote).toBeNull();
	} finally {
		await server.stop();
		janus.close();
		await test.info().attach('server output', { body: server.output(), contentType: 'text/plain' });
	}
});

function isJson(line: string): boolean {
	try {
		return typeof JSON.parse(line) === 'object';
	} catch {
		return false;
	}
}
