import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addAcceptedMember, createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from '../sync/test-harness.ts';

let server: SyncTestServer;
let ann: TestUser;
let bob: TestUser;
let eve: TestUser;
let room: string;
let otherRoom: string;

beforeAll(async () => {
	server = await startSyncTestServer();
	[ann, bob, eve] = await Promise.all(['Ann', 'Bob', 'Eve'].map((n) => server.signUp(n)));
	room = createRoomWithMembers(server.parley.context.rooms, ann.id, { name: 'Call', memberIds: [bob.id] }).id;
	otherRoom = server.parley.context.rooms.create(eve.id, { name: 'Elsewhere' }).id;
});
afterAll(() => server.close());

const issue = (roomId: string, user: TestUser) => server.parley.context.issuePeerId(roomId, user.id);

const token = () => `t${Math.random().toString(36).slice(2)}`;

/** A PeerJS client's signalling socket, by hand (`query` replaces the one peerjs 1.5.5 sends). */
function peerSocket(user: TestUser | null, peerId: string, query = `key=parley&id=${peerId}&token=${token()}&version=1.5.5`, on = server, origin?: string) {
	const url = `${on.wsUrl.replace('/sync', '/peerjs')}/peerjs?${query}`;
	const ws = new WebSocket(url, { headers: { ...(user ? { cookie: user.cookie } : {}), ...(origin ? { origin } : {}) } });
	const received: { type: string; src?: string; payload?: unknown }[] = [];
	ws.on('message', (data) => received.push(JSON.parse(String(data))));
	const refused = new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
	const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
	ws.on('error', () => {});
	return { ws, received, refused, closed, opened: () => received.some((m) => m.type === 'OPEN') };
}

describe('signalling', () => {
	it('lets members with an issued id meet, and relays offers between them', async () => {
		const a = peerSocket(ann, issue(room, ann));
		const bobId = issue(room, bob);
		const b = peerSocket(bob, bobId);
		await waitFor(() => a.opened() && b.opened(), 5000, 'OPEN');
		a.ws.send(JSON.stringify({ type: 'OFFER', dst: bobId, payload: { sdp: 'v=0' } }));
		await waitFor(() => b.received.some((m) => m.type === 'OFFER'), 5000, 'offer');
		a.ws.close();
		b.ws.close();
	});

	it('gives no peer id to someone outside the room', () => {
		expect(() => issue(room, eve)).toThrow(expect.objectContaining({ status: 404 }));
	});

	it('refuses a connection without a session, with an id issued to someone else, or with a used id', async () => {
		expect(await peerSocket(null, issue(room, ann)).refused).toBe(401);
		expect(await peerSocket(eve, issue(room, ann)).refused).toBe(403);
		expect(await peerSocket(ann, 'pmadeup').refused).toBe(403);
		const id = issue(room, ann);
		const first = peerSocket(ann, id);
		await waitFor(() => first.opened());
		expect(await peerSocket(ann, id).refused).toBe(403);
		first.ws.close();
	});

	it('refuses a connection from another site’s page (403), and takes one from Parley’s own', async () => {
		const id = issue(room, ann);
		expect(await peerSocket(ann, id, undefined, server, 'https://evil.example').refused).toBe(403);
		// The refusal did not use up the id.
		const a = peerSocket(ann, id, undefined, server, 'http://localhost');
		await waitFor(() => a.opened(), 5000, 'OPEN');
		a.ws.close();
	});

	it('drops signalling addressed to a peer of another room', async () => {
		const eveId = issue(otherRoom, eve);
		const e = peerSocket(eve, eveId);
		const a = peerSocket(ann, issue(room, ann));
		await waitFor(() => a.opened() && e.opened());
		a.ws.send(JSON.stringify({ type: 'OFFER', dst: eveId, payload: { sdp: 'v=0' } }));
		a.ws.send(JSON.stringify({ type: 'HEARTBEAT' }));
		await new Promise((r) => setTimeout(r, 300));
		expect(e.received.map((m) => m.type)).toEqual(['OPEN']);
		a.ws.close();
		e.ws.close();
	});

	it('cuts someone off the moment they are removed from the room', async () => {
		const carol = await server.signUp('Carol');
		addAcceptedMember(server.parley.context.rooms, ann.id, room, carol.id);
		const c = peerSocket(carol, issue(room, carol));
		await waitFor(() => c.opened());
		const closed = new Promise<number>((resolve) => c.ws.on('close', (code) => resolve(code)));
		server.parley.context.rooms.removeMember(ann.id, room, carol.id);
		expect(await closed).toBe(4403);
	});

	it('ends a signalling socket when its session ends (signed out everywhere)', async () => {
		const dan = await server.signUp('Dan');
		addAcceptedMember(server.parley.context.rooms, ann.id, room, dan.id);
		const d = peerSocket(dan, issue(room, dan));
		await waitFor(() => d.opened());
		await server.parley.context.auth.api.revokeSessions({ headers: new Headers({ cookie: dan.cookie }) });
		server.parley.context.liveSessions.checkSoon();
		expect(await d.closed).toBe(4401);
	});
});

describe('the socket URL', () => {
	it('refuses a second id (the peer server would register the last one, not the issued one)', async () => {
		const issued = issue(room, ann);
		expect(await peerSocket(ann, issued, `key=parley&id=${issued}&id=pchosen&token=${token()}`).refused).toBe(400);
		expect(await peerSocket(ann, issued, `key=parley&id=pchosen&id=${issued}&token=${token()}`).refused).toBe(400);
		// The same name spelt with an escape is the same parameter.
		expect(await peerSocket(ann, issued, `key=parley&id=${issued}&%69d=pchosen&token=${token()}`).refused).toBe(400);
		// Refusals did not use up the id: it still opens, under its own name.
		const a = peerSocket(ann, issued);
		await waitFor(() => a.opened(), 5000, 'OPEN');
		a.ws.close();
	});

	it('refuses repeated, missing or unexpected parameters and a wrong key', async () => {
		const queries = (id: string) => [
			`key=parley&id=${id}&token=${token()}&token=${token()}`,
			`key=parley&key=parley&id=${id}&token=${token()}`,
			`key=parley&id=${id}&token=${token()}&version=1&version=2`,
			`key=parley&id=${id}`,
			`key=parley&id=${id}&token=${token()}&extra=1`,
			`key=other&id=${id}&token=${token()}`
		];
		for (const query of queries(issue(room, ann))) expect(await peerSocket(ann, '', query).refused, query).toBe(400);
	});

	it('registers exactly the id that was checked', async () => {
		const annId = issue(room, ann);
		const bobId = issue(room, bob);
		const a = peerSocket(ann, annId);
		const b = peerSocket(bob, bobId);
		await waitFor(() => a.opened() && b.opened(), 5000, 'OPEN');
		b.ws.send(JSON.stringify({ type: 'OFFER', dst: annId, payload: { sdp: 'v=0' } }));
		await waitFor(() => a.received.some((m) => m.type === 'OFFER'), 5000, 'offer');
		expect(a.received.find((m) => m.type === 'OFFER')?.src).toBe(bobId);
		a.ws.close();
		b.ws.close();
	});
});

describe('frame size', () => {
	it('relays an offer of SDP size, closes a socket that sends a frame over the limit (1009), and keeps serving everyone else', async () => {
		const annId = issue(room, ann);
		const a = peerSocket(ann, annId);
		const b = peerSocket(bob, issue(room, bob));
		await waitFor(() => a.opened() && b.opened(), 5000, 'OPEN');
		// A real offer with many candidates is ~10 KB; 60 KB still fits the 64 KiB default.
		b.ws.send(JSON.stringify({ type: 'OFFER', dst: annId, payload: { sdp: 'a'.repeat(60_000) } }));
		await waitFor(() => a.received.some((m) => m.type === 'OFFER'), 5000, 'big offer');
		b.ws.send('x'.repeat(100 * 1024));
		expect(await b.closed).toBe(1009);
		const c = peerSocket(bob, issue(room, bob));
		await waitFor(() => c.opened(), 5000, 'server still answering');
		c.ws.send(JSON.stringify({ type: 'OFFER', dst: annId, payload: { sdp: 'v=0' } }));
		await waitFor(() => a.received.filter((m) => m.type === 'OFFER').length === 2, 5000, 'offer after the oversized frame');
		a.ws.close();
		c.ws.close();
	});

	it('takes its limit from PEERJS_MAX_FRAME_BYTES', async () => {
		const small = await startSyncTestServer({ PEERJS_MAX_FRAME_BYTES: '4096' });
		try {
			const [x, y] = await Promise.all(['Xan', 'Yan'].map((n) => small.signUp(n)));
			const roomId = createRoomWithMembers(small.parley.context.rooms, x.id, { name: 'Small', memberIds: [y.id] }).id;
			const xId = small.parley.context.issuePeerId(roomId, x.id);
			const xs = peerSocket(x, xId, undefined, small);
			const yId = small.parley.context.issuePeerId(roomId, y.id);
			const ys = peerSocket(y, yId, undefined, small);
			await waitFor(() => xs.opened() && ys.opened(), 5000, 'OPEN');
			ys.ws.send(JSON.stringify({ type: 'OFFER', dst: xId, payload: { sdp: 'a'.repeat(3000) } }));
			await waitFor(() => xs.received.some((m) => m.type === 'OFFER'), 5000, 'offer under the limit');
			ys.ws.send(JSON.stringify({ type: 'OFFER', dst: xId, payload: { sdp: 'a'.repeat(5000) } }));
			expect(await ys.closed).toBe(1009);
			xs.ws.close();
		} finally {
			await small.close();
		}
	});
});
