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

/** A PeerJS client's signalling socket, by hand. */
function peerSocket(user: TestUser | null, peerId: string) {
	const url = `${server.wsUrl.replace('/sync', '/peerjs')}/peerjs?key=parley&id=${peerId}&token=t${Math.random().toString(36).slice(2)}&version=1.5.5`;
	const ws = new WebSocket(url, user ? { headers: { cookie: user.cookie } } : {});
	const received: { type: string; src?: string; payload?: unknown }[] = [];
	ws.on('message', (data) => received.push(JSON.parse(String(data))));
	const refused = new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
	ws.on('error', () => {});
	return { ws, received, refused, opened: () => received.some((m) => m.type === 'OPEN') };
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
});

describe('robustness', () => {
	it('survives a signalling socket that errors (here: an oversized frame)', async () => {
		const a = peerSocket(ann, issue(room, ann));
		await waitFor(() => a.opened());
		// A frame over the size limit makes the server's socket error out.
		a.ws.send('x'.repeat(100 * 1024));
		await new Promise((r) => setTimeout(r, 200));
		const b = peerSocket(bob, issue(room, bob));
		await waitFor(() => b.opened(), 5000, 'server still answering');
		b.ws.close();
	});
});
