import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from '../sync/test-harness.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { janusInstalled } from './janus-process.ts';
import type { SfuService } from './service.ts';

type Reply = { janus: string; transaction?: string; session_id?: number; error?: { code: number; reason: string }; data?: { id: number }; plugindata?: { data: Record<string, unknown> } };

/** A raw Janus client through Parley's /sfu, as a browser (or an attacker with a browser's cookie) would open it. */
function sfuClient(server: SyncTestServer, user: TestUser, ticket: string, maxPayload?: number) {
	const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sfu?ticket=${encodeURIComponent(ticket)}`, 'janus-protocol', { headers: { cookie: user.cookie, origin: 'http://localhost' }, maxPayload });
	const replies: Reply[] = [];
	ws.on('message', (data) => replies.push(JSON.parse(String(data)) as Reply));
	ws.on('error', () => {});
	const opened = new Promise<boolean>((resolve) => {
		ws.once('open', () => resolve(true));
		ws.once('unexpected-response', () => resolve(false));
	});
	const refusedWith = new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
	const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
	let session = 0;
	let handle = 0;
	/** Sends a request; resolves with Janus' (or the proxy's) answer to it, skipping acks. */
	async function ask(message: Record<string, unknown>): Promise<Reply> {
		const transaction = randomBytes(6).toString('hex');
		ws.send(JSON.stringify({ ...message, transaction }));
		let reply: Reply | undefined;
		await waitFor(() => (reply = replies.find((r) => r.transaction === transaction && r.janus !== 'ack')) !== undefined, 10_000, `answer to ${JSON.stringify(message).slice(0, 80)}`);
		return reply!;
	}
	const body = (b: Record<string, unknown>) => ask({ janus: 'message', session_id: session, handle_id: handle, body: b });
	return {
		ws,
		opened,
		refusedWith,
		closed,
		replies,
		ask,
		body,
		/** A session with a videoroom handle (no Janus token: the proxy adds it). */
		async open() {
			session = (await ask({ janus: 'create' })).data!.id;
			handle = (await ask({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom' })).data!.id;
		}
	};
}

const isError = (reply: Reply) => reply.janus === 'error' || typeof reply.plugindata?.data.error_code === 'number';

// Real Janus (Debian package) behind a real Parley; `./parley test` installs it.
describe.skipIf(!janusInstalled())('the /sfu proxy', () => {
	let server: SyncTestServer;
	let sfu: SfuService;
	let people: TestUser[];
	let roomId: string;
	let janusRoom: number;
	const providers: ReturnType<typeof connect>[] = [];
	const ticket = async (user: TestUser) => (await server.parley.context.sfuJoin(roomId, user.id)).ticket;

	beforeAll(async () => {
		server = await startSyncTestServer({ SFU: 'auto', JANUS_RTP_PORTS: '42000-42200', SFU_MAX_MESSAGE_BYTES: String(64 * 1024) });
		sfu = server.parley.sfu;
		await waitFor(() => sfu.available(), 20_000, 'Janus');
		people = [];
		for (const name of ['Ann', 'Bob', 'Cat', 'Dan', 'Eve']) people.push(await server.signUp(name));
		roomId = createRoomWithMembers(server.parley.context.rooms, people[0].id, { name: 'Big call', memberIds: people.slice(1).map((p) => p.id) }).id;
		// Five people in the call (on awareness, as browsers say it): the server moves it to the SFU.
		for (const [i, person] of people.entries()) {
			const provider = connect(server.wsUrl, roomId, person);
			provider.provider.awareness.setLocalState({ user: { id: person.id, name: person.name }, call: { peerId: `p${i}`, joinedAt: i } });
			providers.push(provider);
		}
		await waitFor(() => sfu.router.janusRoom(roomId) !== null, 20_000, 'the call on the SFU');
		janusRoom = sfu.router.janusRoom(roomId)!.id;
	}, 60_000);

	afterAll(async () => {
		for (const p of providers) p.provider.destroy();
		await server?.close();
	}, 30_000);

	it('gives browsers no Janus credential, only a single-use ticket for their own call', async () => {
		const join = await server.parley.context.sfuJoin(roomId, people[1].id);
		expect(Object.keys(join).sort()).toEqual(['janusRoom', 'ticket']);
		// Someone else's ticket, a used ticket and no ticket are refused.
		expect(await sfuClient(server, people[2], join.ticket).refusedWith).toBe(403);
		expect(await sfuClient(server, people[1], join.ticket).refusedWith).toBe(403);
		expect(await sfuClient(server, people[1], '').refusedWith).toBe(403);
		const client = sfuClient(server, people[1], await ticket(people[1]));
		expect(await client.opened).toBe(true);
		await client.open();
		// A token the client sends is replaced by the server's; another session's id is not reachable.
		expect((await client.ask({ janus: 'create', token: 'forged' })).janus).toBe('success');
		expect(await client.ask({ janus: 'keepalive', session_id: 12345 })).toMatchObject({ janus: 'error', error: { code: 403 } });
		expect(await client.ask({ janus: 'claim', session_id: 12345 })).toMatchObject({ janus: 'error', error: { code: 403 } });
		client.ws.close();
	});

	it('refuses recording, a lifted bitrate cap and room control; Janus writes no file', async () => {
		const client = sfuClient(server, people[2], await ticket(people[2]));
		expect(await client.opened).toBe(true);
		await client.open();
		expect(isError(await client.body({ request: 'join', ptype: 'publisher', room: janusRoom, display: 'p2' }))).toBe(false);
		const dir = mkdtempSync(join(tmpdir(), 'parley-rec-'));
		const filename = join(dir, 'stolen');
		const record = await client.body({ request: 'configure', record: true, filename });
		expect(record).toMatchObject({ janus: 'error', error: { code: 403 } });
		expect(await client.body({ request: 'configure', bitrate: 50_000_000 })).toMatchObject({ janus: 'error', error: { code: 403 } });
		for (const request of ['create', 'destroy', 'edit', 'kick', 'enable_recording', 'allowed', 'moderate', 'rtp_forward', 'stop_rtp_forward', 'listforwarders', 'list', 'listparticipants']) {
			expect(await client.body({ request, room: janusRoom, id: 1, admin_key: 'guess' }), request).toMatchObject({ janus: 'error', error: { code: 403 } });
		}
		// What a participant needs still works.
		expect(isError(await client.body({ request: 'configure', bitrate: 300_000 }))).toBe(false);
		expect(readdirSync(dir)).toEqual([]);
		expect(existsSync(`${filename}-audio-0.mjr`)).toBe(false);
		client.ws.close();
	});

	// Janus announces a feed to the others once its media flows (which needs WebRTC); the display it
	// announces is the one it holds, read here from the server's side (the room's participant list).
	it('names each feed after the person who publishes it, whatever display they claim', async () => {
		const forger = sfuClient(server, people[4], await ticket(people[4]));
		expect(await forger.opened).toBe(true);
		await forger.open();
		// Eve claims to be Bob's device (p1), then tries to rename her feed to Ann's.
		const joined = await forger.body({ request: 'join', ptype: 'publisher', room: janusRoom, display: 'p1' });
		const id = joined.plugindata!.data.id as number;
		const displayOf = async () => (await sfu.participants(roomId)).find((p) => p.id === id);
		expect(await displayOf()).toEqual({ id, userId: people[4].id });
		expect(isError(await forger.body({ request: 'configure', display: `p0@${people[0].id}` }))).toBe(true);
		expect(isError(await forger.body({ request: 'configure', display: 'p0' }))).toBe(false);
		expect(await displayOf()).toEqual({ id, userId: people[4].id });
		forger.ws.close();
	});

	it('ends a removed member’s SFU participation within seconds: socket closed, feed kicked, no way back in', async () => {
		const bob = people[1];
		const spare = await ticket(bob);
		const removed = sfuClient(server, bob, await ticket(bob));
		expect(await removed.opened).toBe(true);
		await removed.open();
		const joined = await removed.body({ request: 'join', ptype: 'publisher', room: janusRoom, display: 'p1' });
		const id = joined.plugindata!.data.id as number;
		expect((await sfu.participants(roomId)).map((p) => p.id)).toContain(id);

		const started = Date.now();
		server.parley.context.rooms.removeMember(people[0].id, roomId, bob.id);
		expect(await removed.closed).toBe(4403);
		// Janus no longer has him in the videoroom, so nobody receives his media nor he theirs.
		let inRoom = [id];
		await waitFor(() => {
			void sfu.participants(roomId).then((list) => (inRoom = list.map((p) => p.id)));
			return !inRoom.includes(id);
		}, 10_000, 'Bob out of the videoroom');
		expect(Date.now() - started).toBeLessThan(10_000);
		// Neither a ticket he still held nor a new one gets him back.
		expect(await sfuClient(server, bob, spare).refusedWith).toBe(403);
		await expect(ticket(bob)).rejects.toThrow();
	}, 30_000);

	it('closes a connection that sends an oversized frame (1009) and keeps serving the others', async () => {
		const big = sfuClient(server, people[3], await ticket(people[3]));
		expect(await big.opened).toBe(true);
		big.ws.send(JSON.stringify({ janus: 'create', transaction: 'x', pad: 'x'.repeat(200 * 1024) }));
		expect(await big.closed).toBe(1009);
		const next = sfuClient(server, people[3], await ticket(people[3]));
		expect(await next.opened).toBe(true);
		expect((await next.ask({ janus: 'create' })).janus).toBe('success');
		next.ws.close();
	});

	it('answers garbage frames with refusals and keeps the connection and Janus serving', async () => {
		const client = sfuClient(server, people[2], await ticket(people[2]));
		expect(await client.opened).toBe(true);
		for (const frame of ['not json', '[]', 'null', '{"janus":', JSON.stringify({ janus: 'message', transaction: 't1', body: 7 }), JSON.stringify({ janus: 42 })]) client.ws.send(frame);
		client.ws.send(randomBytes(64));
		expect((await client.ask({ janus: 'create' })).janus).toBe('success');
		client.ws.close();
	});

	it('ends a connection within seconds of its session ending (signed out everywhere)', async () => {
		const eve = people[4];
		const client = sfuClient(server, eve, await ticket(eve));
		expect(await client.opened).toBe(true);
		await client.open();
		await server.parley.context.auth.api.revokeSessions({ headers: new Headers({ cookie: eve.cookie }) });
		server.parley.context.liveSessions.checkSoon();
		expect(await client.closed).toBe(4401);
	}, 30_000);

	it('ends the SFU participation of someone an owner removed from the call: connection closed, feed kicked, no new ticket', async () => {
		const [ann, dan] = [people[0], people[3]];
		const client = sfuClient(server, dan, await ticket(dan));
		expect(await client.opened).toBe(true);
		await client.open();
		const joined = await client.body({ request: 'join', ptype: 'publisher', room: janusRoom, display: 'p3' });
		const id = joined.plugindata!.data.id as number;
		expect((await sfu.participants(roomId)).map((p) => p.id)).toContain(id);
		// Ann, the room's owner, removes Dan on her call state, as her browser does.
		providers[0].provider.awareness.setLocalState({ user: { id: ann.id, name: ann.name }, call: { peerId: 'p0', joinedAt: 0, remove: [dan.id] } });
		expect(await client.closed).toBe(4409);
		let inRoom = [id];
		await waitFor(() => {
			void sfu.participants(roomId).then((list) => (inRoom = list.map((p) => p.id)));
			return !inRoom.includes(id);
		}, 10_000, 'Dan out of the videoroom');
		await expect(ticket(dan)).rejects.toThrow(/removed from this call/);
	}, 30_000);
});
