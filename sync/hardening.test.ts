// What one member (or a stolen, revoked session) can do to a room: nothing that bricks it, floods it or outlives access.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ulid } from 'ulid';

import { periodOf } from '../src/lib/core/chat/period.ts';
import { CLOSE_UNAUTHENTICATED, MESSAGE_AWARENESS } from '../src/lib/core/chat/protocol.ts';
import { MESSAGES } from '../src/lib/core/chat/schema.ts';
import { parseConfig } from '../src/lib/server/config.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { addAcceptedMember, createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { RoomSession, CLOSE_BAD_UPDATE, type Peer } from './room-session.ts';
import { CLOSE_TOO_MANY } from './service.ts';
import { SyncStore } from './store.ts';
import { connect, liveDocument, rawSyncClient, startSyncTestServer, waitFor, type RawSyncClient, type SyncTestServer, type TestUser } from './test-harness.ts';
import { message, send, texts } from './test-messages.ts';
import { forwardOriginUpdate } from './test-updates.ts';

let server: SyncTestServer;
let alice: TestUser;
let mallory: TestUser;

beforeAll(async () => {
	server = await startSyncTestServer({ SESSION_CHECK_SECONDS: '1' });
	[alice, mallory] = await Promise.all(['Alice', 'Mallory'].map((n) => server.signUp(n)));
});
afterAll(() => server.close());

const newRoom = (name: string) => createRoomWithMembers(server.parley.context.rooms, alice.id, { name, memberIds: [mallory.id] }).id;
const storedUpdates = (room: string) => (server.parley.context.db.prepare('select count(*) as n from sync_update where roomId = ?').get(room) as { n: number }).n;
const storedBytes = (room: string) => (server.parley.context.db.prepare('select coalesce(sum(length(data)), 0) as n from sync_update where roomId = ?').get(room) as { n: number }).n;
/** The server's call policy, which counts each call's devices. */
const calls = () => server.parley.sfu.router;
const quiet = createLogger('error');
/** A server of its own with these settings, and Ann and Bo in a room there. */
async function pairOnOwnServer(env: Record<string, string>) {
	const own = await startSyncTestServer(env);
	const [ann, bo] = await Promise.all(['Ann', 'Bo'].map((n) => own.signUp(n)));
	return { server: own, ann, bo, room: createRoomWithMembers(own.parley.context.rooms, ann.id, { name: 'Pair', memberIds: [bo.id] }).id };
}
/** This month's document of a room, whose history is split by month. */
const thisMonth = () => ({ period: periodOf(Date.now()), history: 'monthly' as const });
/** What a process that starts after an unclean stop loads: the room from what is stored. */
const reload = (room: string) => new RoomSession({ roomId: room, ...thisMonth(), store: new SyncStore(server.parley.context.db), log: quiet, metrics: server.parley.context.metrics, limits: parseConfig({}).sync, onActivity: () => {} });

async function honestRoom(name: string) {
	const room = newRoom(name);
	const a = connect(server.wsUrl, liveDocument(room), alice, new Y.Doc(), { ack: '1' });
	await waitFor(() => a.provider.synced, 5000, 'sync');
	send(a.doc, alice.id, 'before');
	await waitFor(() => storedUpdates(room) === 1, 5000, 'stored');
	return { room, a };
}

describe('an update that passes validation but that Yjs cannot apply', () => {
	it('is refused and never stored, so the room loads after an unclean stop', async () => {
		const { room, a } = await honestRoom('Crafted');
		const attacker = await rawSyncClient(server.wsUrl, liveDocument(room), mallory);
		const key = `${mallory.id}:${ulid()}`;
		attacker.sendUpdate(forwardOriginUpdate(424242, key, message(key, 'brick')));
		await waitFor(() => attacker.denied.length > 0, 5000, 'refusal');
		expect(attacker.denied[0]).toMatch(/update rejected/);
		expect(storedUpdates(room)).toBe(1);
		// The room still works, and a process started from what is stored has all of it.
		send(a.doc, alice.id, 'after');
		await waitFor(() => storedUpdates(room) === 2, 5000, 'stored after');
		const reloaded = reload(room);
		expect(texts(reloaded.doc)).toEqual(['after', 'before']);
		reloaded.destroy();
		a.provider.destroy();
		attacker.ws.close();
	});

	it('is not stored even when validation lets it through: the sender must sync again, the others see nothing of it', () => {
		const room = newRoom('Guard');
		const store = new SyncStore(server.parley.context.db);
		const session = new RoomSession({
			roomId: room,
			...thisMonth(),
			store,
			log: quiet,
			metrics: server.parley.context.metrics,
			limits: parseConfig({}).sync,
			onActivity: () => {},
			// As if the rules missed this kind of update.
			validate: () => ({ ok: true, clients: [777], changes: true, claims: [] })
		});
		const peer = (userId: string) => {
			const sent: Uint8Array[] = [];
			const closed: number[] = [];
			const p: Peer = { userId, role: 'member', joinedAt: 0, wantsAck: false, send: (m) => sent.push(m), close: (code) => closed.push(code) };
			session.join(p);
			sent.length = 0;
			return { p, sent, closed };
		};
		const bad = peer(mallory.id);
		const other = peer(alice.id);
		const honest = new Y.Doc();
		send(honest, alice.id, 'kept');
		const frame = (update: Uint8Array) => {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 2);
			encoding.writeVarUint8Array(e, update);
			return encoding.toUint8Array(e);
		};
		session.receive(other.p, frame(Y.encodeStateAsUpdate(honest)));
		// The store writes a turn's updates together: now, as the end of this turn would.
		store.flush();
		expect(storedUpdates(room)).toBe(1);
		const key = `${mallory.id}:${ulid()}`;
		session.receive(bad.p, frame(forwardOriginUpdate(777, key, message(key, 'brick'))));
		store.flush();
		expect(storedUpdates(room)).toBe(1);
		expect(bad.closed).toEqual([CLOSE_BAD_UPDATE]);
		expect(other.sent).toHaveLength(0);
		expect(texts(session.doc)).toEqual(['kept']);
		session.destroy();
		const reloaded = reload(room);
		expect(texts(reloaded.doc)).toEqual(['kept']);
		reloaded.destroy();
	});

	it('stored by an older Parley is set aside when the room loads, and the rest is served', async () => {
		const { room, a } = await honestRoom('Quarantine');
		const key = `${mallory.id}:${ulid()}`;
		server.parley.context.db.prepare('insert into sync_update (roomId, period, seq, data) values (?, ?, ?, ?)').run(room, periodOf(Date.now()), 2, forwardOriginUpdate(99, key, message(key, 'brick')));
		a.provider.destroy();
		// As a process started after a crash does: load the room from the store.
		const reloaded = reload(room);
		expect(texts(reloaded.doc)).toEqual(['before']);
		expect(new SyncStore(server.parley.context.db).quarantined(liveDocument(room))).toEqual([{ seq: 2, reason: expect.any(String) }]);
		expect(storedUpdates(room)).toBe(1);
		expect(new SyncStore(server.parley.context.db).load(liveDocument(room)).lastSeq).toBe(2);
		reloaded.destroy();
	});
});

describe('write limits', () => {
	it('a burst of messages is cut at the per-minute limit with a reason; what was accepted is kept', { timeout: 30_000 }, async () => {
		const room = newRoom('Flood');
		const flooder = await rawSyncClient(server.wsUrl, liveDocument(room), mallory);
		const doc = new Y.Doc();
		let before = Y.encodeStateVector(doc);
		const big = 'x'.repeat(3900);
		// 300 updates of ~40 KB: 12 MB offered at once (a member once stored 49 MB in five seconds).
		for (let i = 0; i < 300; i++) {
			doc.transact(() => {
				for (let j = 0; j < 10; j++) send(doc, mallory.id, `${i}.${j} ${big}`);
			});
			flooder.sendUpdate(Y.encodeStateAsUpdate(doc, before));
			before = Y.encodeStateVector(doc);
		}
		await waitFor(() => flooder.denied.length > 0, 10_000, 'refusal');
		await new Promise((r) => setTimeout(r, 500));
		expect(flooder.denied[0]).toMatch(/too (fast|much).*try again in \d+ s/);
		// At most about a minute's allowance (1 MiB by default) was stored.
		expect(storedBytes(room)).toBeLessThan(1.2 * 1024 * 1024);
		expect(storedUpdates(room)).toBeGreaterThan(0);
		// Counted for /metrics by the limit that refused them.
		const refused = (await server.parley.context.metrics.updatesRefused.get()).values.find((v) => v.labels.reason === 'bytes_per_minute');
		expect(refused?.value).toBeGreaterThan(0);
		flooder.ws.close();
	});

	it('counts updates per person per minute; another person has an allowance of their own', { timeout: 30_000 }, async () => {
		const { server: limited, ann, bo, room } = await pairOnOwnServer({ SYNC_UPDATES_PER_MINUTE: '20' });
		const a = connect(limited.wsUrl, liveDocument(room), ann);
		const b = connect(limited.wsUrl, liveDocument(room), bo);
		await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'sync');
		for (let i = 0; i < 40; i++) send(a.doc, ann.id, `m${i}`);
		// The allowance of 20 includes the update Ann's provider sends when it syncs.
		await waitFor(() => texts(b.doc).length >= 19, 5000, 'relay');
		await new Promise((r) => setTimeout(r, 500));
		expect(texts(b.doc).length).toBeLessThanOrEqual(20);
		// Bo has an allowance of his own.
		send(b.doc, bo.id, 'bo speaks');
		await waitFor(() => texts(a.doc).includes('bo speaks'), 5000, 'bo relayed');
		a.provider.destroy();
		b.provider.destroy();
		await limited.close();
	});

	it('caps how much one person adds to a room in a day, counted in the database', { timeout: 30_000 }, async () => {
		const daily = await startSyncTestServer({ SYNC_BYTES_PER_DAY: String(256 * 1024), SYNC_BYTES_PER_MINUTE: String(64 * 1024 * 1024) });
		const ann = await daily.signUp('Ann');
		const room = daily.parley.context.rooms.create(ann.id, { name: 'Daily' }).id;
		const client = await rawSyncClient(daily.wsUrl, liveDocument(room), ann);
		const doc = new Y.Doc();
		const chunk = () => {
			const before = Y.encodeStateVector(doc);
			doc.transact(() => {
				for (let j = 0; j < 25; j++) send(doc, ann.id, 'y'.repeat(3900));
			});
			client.sendUpdate(Y.encodeStateAsUpdate(doc, before));
		};
		for (let i = 0; i < 4; i++) chunk();
		await waitFor(() => client.denied.length > 0, 5000, 'refusal');
		expect(client.denied[0]).toMatch(/today.*try again tomorrow/);
		const used = daily.parley.context.db.prepare('select bytes from sync_usage where roomId = ? and userId = ?').get(room, ann.id) as { bytes: number };
		expect(used.bytes).toBeLessThanOrEqual(256 * 1024);
		expect(used.bytes).toBeGreaterThan(0);
		client.ws.close();
		await daily.close();
	});
});

/** An awareness update with these states, each as its own client id. */
function awarenessFrame(states: Record<string, unknown>[], clientIds?: number[]): { frame: Uint8Array; ids: number[] } {
	const ids: number[] = [];
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, states.length);
	states.forEach((state, i) => {
		const id = clientIds?.[i] ?? 1_000_000 + Math.floor(Math.random() * 1e9);
		ids.push(id);
		encoding.writeVarUint(e, id);
		encoding.writeVarUint(e, 1);
		encoding.writeVarString(e, JSON.stringify(state));
	});
	const m = encoding.createEncoder();
	encoding.writeVarUint(m, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(m, encoding.toUint8Array(e));
	return { frame: encoding.toUint8Array(m), ids };
}

describe('presence limits', () => {
	async function watcher(room: string) {
		const honest = connect(server.wsUrl, room, alice);
		let bytes = 0;
		await waitFor(() => honest.provider.synced, 5000, 'sync');
		(honest.provider.ws as unknown as { addEventListener(t: string, f: (e: { data: ArrayBuffer }) => void): void }).addEventListener('message', (e) => (bytes += e.data.byteLength));
		return { honest, bytes: () => bytes, statesOf: (userId: string) => [...honest.provider.awareness.getStates().values()].filter((s) => (s as { user?: { id: string } }).user?.id === userId) };
	}

	it('one connection publishes one presence, of a bounded size', { timeout: 30_000 }, async () => {
		const room = newRoom('Presence');
		const w = await watcher(room);
		const attacker = await rawSyncClient(server.wsUrl, room, mallory);
		// 8,000 states in one frame (about 460 KB, just under the frame limit).
		const many = Array.from({ length: 8000 }, () => ({ user: { id: mallory.id } }));
		attacker.sendRaw(awarenessFrame(many).frame);
		await waitFor(() => w.statesOf(mallory.id).length > 0, 5000, 'one presence');
		await new Promise((r) => setTimeout(r, 300));
		expect(w.statesOf(mallory.id)).toHaveLength(1);
		expect(w.bytes()).toBeLessThan(20_000);
		expect(attacker.denied.at(-1)).toMatch(/one presence per connection/);
		// A state over the size limit from a fresh connection is dropped too.
		const second = await rawSyncClient(server.wsUrl, room, mallory);
		const { ids } = awarenessFrame([{}]);
		second.sendRaw(awarenessFrame([{ user: { id: mallory.id, name: 'Big' }, pad: 'p'.repeat(5000) }], ids).frame);
		await waitFor(() => second.denied.length > 0, 5000, 'size refusal');
		expect(second.denied[0]).toMatch(/larger than 4096 bytes/);
		expect(w.statesOf(mallory.id)).toHaveLength(1);
		w.honest.provider.destroy();
		attacker.ws.close();
		second.ws.close();
	});

	it('a burst of presence updates is held back, and the latest state still arrives', { timeout: 30_000 }, async () => {
		const { server: limited, ann, bo, room } = await pairOnOwnServer({ AWARENESS_UPDATES_PER_MINUTE: '60' });
		const honest = connect(limited.wsUrl, room, ann);
		await waitFor(() => honest.provider.synced, 5000, 'sync');
		let updates = 0;
		honest.provider.awareness.on('update', () => updates++);
		const chatty = await rawSyncClient(limited.wsUrl, room, bo);
		const id = 5_555_555;
		const e = (clock: number) => {
			const inner = encoding.createEncoder();
			encoding.writeVarUint(inner, 1);
			encoding.writeVarUint(inner, id);
			encoding.writeVarUint(inner, clock);
			encoding.writeVarString(inner, JSON.stringify({ user: { id: bo.id, name: 'Bo' }, n: clock }));
			const m = encoding.createEncoder();
			encoding.writeVarUint(m, MESSAGE_AWARENESS);
			encoding.writeVarUint8Array(m, encoding.toUint8Array(inner));
			return encoding.toUint8Array(m);
		};
		for (let clock = 1; clock <= 200; clock++) chatty.sendRaw(e(clock));
		const latest = () => (honest.provider.awareness.getStates().get(id) as { n?: number } | undefined)?.n;
		await waitFor(() => latest() === 200, 10_000, 'latest presence');
		expect(updates).toBeLessThanOrEqual(62);
		honest.provider.destroy();
		chatty.ws.close();
		await limited.close();
	});

	it('caps the connections one person has open to a room', async () => {
		const room = newRoom('Sockets');
		const clients: RawSyncClient[] = [];
		for (let i = 0; i < 12; i++) clients.push(await rawSyncClient(server.wsUrl, room, mallory));
		await waitFor(() => clients.filter((c) => c.closed()).length >= 2, 5000, 'refusals');
		const refused = clients.filter((c) => c.closed());
		expect(refused.map((c) => c.closed()!.code)).toEqual([CLOSE_TOO_MANY, CLOSE_TOO_MANY]);
		// Someone else still gets in.
		const other = await rawSyncClient(server.wsUrl, room, alice);
		await waitFor(() => other.received.length > 0, 5000, 'step 1');
		expect(other.closed()).toBeUndefined();
		for (const c of [...clients, other]) c.ws.close();
	});

	it('closes a connection that sends a frame over the size limit', async () => {
		const room = newRoom('Frames');
		const client = await rawSyncClient(server.wsUrl, room, mallory);
		client.sendRaw(new Uint8Array(600 * 1024));
		await waitFor(() => client.closed() !== undefined, 5000, 'close');
		expect(client.closed()!.code).toBe(1009);
	});
});

describe('calls are counted from connections', () => {
	const callState = (userId: string, peerId: string) => ({ user: { id: userId, name: 'X' }, call: { peerId, audio: true, video: true, screen: false } });

	it('one connection declaring five devices counts once', async () => {
		const room = newRoom('Five');
		const attacker = await rawSyncClient(server.wsUrl, room, mallory);
		attacker.sendRaw(awarenessFrame([1, 2, 3, 4, 5].map((n) => callState(mallory.id, `p${n}`))).frame);
		await waitFor(() => calls().callSize(room) > 0, 5000, 'in call');
		await new Promise((r) => setTimeout(r, 200));
		expect(calls().callSize(room)).toBe(1);
		attacker.ws.close();
	});

	it('one person is in a call on at most two devices, and only people in the call get SFU credentials', { timeout: 30_000 }, async () => {
		const room = newRoom('Devices');
		const devices: RawSyncClient[] = [];
		for (let i = 0; i < 3; i++) {
			const d = await rawSyncClient(server.wsUrl, room, mallory);
			d.sendRaw(awarenessFrame([callState(mallory.id, `d${i}`)]).frame);
			devices.push(d);
			await waitFor(() => calls().callSize(room) === Math.min(i + 1, 2) && (i < 2 || d.denied.length > 0), 5000, `device ${i}`);
		}
		expect(devices[2].denied[0]).toMatch(/already in this call on 2 devices/);
		expect(calls().callSize(room)).toBe(2);
		for (const d of devices) d.ws.close();
	});

	it('SFU credentials go only to people the server counts in the call (real Janus)', { timeout: 90_000 }, async () => {
		const withSfu = await startSyncTestServer({ SFU: 'auto' });
		try {
			const people = await Promise.all(['A', 'B', 'C', 'D', 'E', 'Watcher'].map((n) => withSfu.signUp(n)));
			const room = createRoomWithMembers(withSfu.parley.context.rooms, people[0].id, { name: 'Big call', memberIds: people.slice(1).map((p) => p.id) }).id;
			const sfuOf = withSfu.parley.sfu;
			// Five people in the call, each on their own connection, as Janus starts: the call stays
			// mesh until Janus answers (it counts as available only then), and moves to the SFU when it does.
			const inCall = await Promise.all(people.slice(0, 5).map((p) => rawSyncClient(withSfu.wsUrl, room, p)));
			inCall.forEach((c, i) => c.sendRaw(awarenessFrame([callState(people[i].id, `p${i}`)]).frame));
			await waitFor(() => sfuOf.available(), 30_000, 'Janus');
			await waitFor(() => sfuOf.router.janusRoom(room) !== null, 20_000, 'the call on the SFU');
			await expect(withSfu.parley.context.sfuJoin(room, people[0].id)).resolves.toMatchObject({ janusRoom: expect.any(Number), ticket: expect.any(String) });
			// A member with the room open but not in the call gets none.
			const watcher = await rawSyncClient(withSfu.wsUrl, room, people[5]);
			await expect(withSfu.parley.context.sfuJoin(room, people[5].id)).rejects.toMatchObject({ status: 403 });
			for (const c of [...inCall, watcher]) c.ws.close();
		} finally {
			await withSfu.close();
		}
	});
});

describe('message times', () => {
	it('refuses messages dated before the sender joined; offline writes from after joining are kept', async () => {
		const room = newRoom('Backdating');
		const db = server.parley.context.db;
		const joined = Date.now() - 2 * 86_400_000;
		// The room is older than Mallory's membership: its documents for 2001 exist.
		db.prepare('update room set createdAt = ? where id = ?').run(Date.UTC(2000, 0, 1), room);
		db.prepare('update room_member set joinedAt = ? where roomId = ? and userId = ?').run(joined, room, mallory.id);
		const client = await rawSyncClient(server.wsUrl, liveDocument(room, Date.UTC(2001, 0, 1)), mallory);
		const doc = new Y.Doc();
		const at = (time: number, text: string) => {
			const before = Y.encodeStateVector(doc);
			const key = `${mallory.id}:${ulid(time)}`;
			doc.getMap(MESSAGES).set(key, { text, createdAt: time });
			client.sendUpdate(Y.encodeStateAsUpdate(doc, before));
		};
		at(Date.UTC(2001, 0, 1), 'from 2001');
		await waitFor(() => client.denied.length === 1, 5000, 'refusal');
		expect(client.denied[0]).toMatch(/dated before you joined/);
		const fresh = new Y.Doc();
		const again = await rawSyncClient(server.wsUrl, liveDocument(room, joined + 3_600_000), mallory);
		const key = `${mallory.id}:${ulid(joined + 3_600_000)}`;
		fresh.getMap(MESSAGES).set(key, { text: 'written offline a day ago', createdAt: joined + 3_600_000 });
		again.sendUpdate(Y.encodeStateAsUpdate(fresh));
		await waitFor(() => storedUpdates(room) === 1, 5000, 'stored');
		expect(again.denied).toEqual([]);
		client.ws.close();
		again.ws.close();
	});
});

describe('sessions', () => {
	it('a revoked or expired session’s live sync connections end within seconds', { timeout: 30_000 }, async () => {
		const room = newRoom('Sessions');
		const extra = await server.signUp('Mallory2');
		addAcceptedMember(server.parley.context.rooms, alice.id, room, extra.id);
		const revoked = await rawSyncClient(server.wsUrl, room, extra);
		await waitFor(() => revoked.received.length > 0, 5000, 'step 1');
		await server.parley.context.auth.api.revokeSessions({ headers: new Headers({ cookie: extra.cookie }) });
		await waitFor(() => revoked.closed() !== undefined, 5000, 'revoked close');
		expect(revoked.closed()!.code).toBe(CLOSE_UNAUTHENTICATED);

		const expiring = await rawSyncClient(server.wsUrl, room, alice);
		await waitFor(() => expiring.received.length > 0, 5000, 'step 1');
		server.parley.context.db.prepare('update session set expiresAt = ? where userId = ?').run(new Date(Date.now() - 1000).toISOString(), alice.id);
		await waitFor(() => expiring.closed() !== undefined, 5000, 'expired close');
		expect(expiring.closed()!.code).toBe(CLOSE_UNAUTHENTICATED);
		// Alice signs in again for the tests after this one.
		server.parley.context.db.prepare('update session set expiresAt = ? where userId = ?').run(new Date(Date.now() + 86_400_000).toISOString(), alice.id);
	});
});
