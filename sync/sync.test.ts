import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { newMessageKey } from '../src/lib/core/chat/message-key.ts';
import { CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, MESSAGE_AWARENESS, MESSAGE_SERVER_STATE, MESSAGE_SYNC } from '../src/lib/core/chat/protocol.ts';
import { MESSAGES } from '../src/lib/core/chat/schema.ts';
import { createRoomWithMembers } from '../src/lib/server/rooms-fixture.ts';
import { connect, liveDocument, rawSyncClient, startSyncTestServer, waitFor, type SyncTestServer, type TestUser } from './test-harness.ts';
import { message, send, texts } from './test-messages.ts';

let server: SyncTestServer;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let roomId: string;

beforeAll(async () => {
	server = await startSyncTestServer();
	[alice, bob, mallory] = await Promise.all(['Alice', 'Bob', 'Mallory'].map((n) => server.signUp(n)));
	roomId = createRoomWithMembers(server.parley.context.rooms, alice.id, { name: 'Sync', memberIds: [bob.id, mallory.id] }).id;
});
afterAll(() => server.close());


/** A raw WebSocket to this file's room (or another), speaking the protocol by hand. */
const rawClient = (user: TestUser | null, room = roomId) => rawSyncClient(server.wsUrl, room, user);

describe('connecting', () => {
	it('the stock y-websocket provider from npm syncs a room with the service', async () => {
		const a = connect(server.wsUrl, liveDocument(roomId), alice);
		const b = connect(server.wsUrl, liveDocument(roomId), bob);
		await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'sync');
		send(a.doc, alice.id, 'hello from the stock provider');
		await waitFor(() => texts(b.doc).includes('hello from the stock provider'), 5000, 'relay');
		a.provider.destroy();
		b.provider.destroy();
	});

	it('without a session is closed with 4401 and a reason', async () => {
		const client = await rawClient(null);
		await waitFor(() => client.closed() !== undefined);
		expect(client.closed()).toEqual({ code: CLOSE_UNAUTHENTICATED, reason: 'Sign in to sync this room' });
	});

	it('to a room one is not a member of (or that does not exist) is closed with 4404', async () => {
		const other = await server.signUp('Outsider');
		const client = await rawClient(other);
		await waitFor(() => client.closed() !== undefined);
		expect(client.closed()?.code).toBe(CLOSE_NOT_FOUND);
		const nowhere = await rawClient(alice, 'no-such-room');
		await waitFor(() => nowhere.closed() !== undefined);
		expect(nowhere.closed()?.code).toBe(CLOSE_NOT_FOUND);
	});

	it('a member removed from the room is disconnected at once', async () => {
		const carol = await server.signUp('Carol');
		const room = createRoomWithMembers(server.parley.context.rooms, alice.id, { name: 'Temp', memberIds: [carol.id] }).id;
		const client = await rawClient(carol, room);
		await waitFor(() => client.received.length > 0, 5000, 'step 1');
		server.parley.context.rooms.removeMember(alice.id, room, carol.id);
		await waitFor(() => client.closed() !== undefined, 2000, 'disconnect');
		expect(client.closed()).toEqual({ code: CLOSE_FORBIDDEN, reason: 'You are no longer a member of this room' });
	});

	it('acknowledges stored updates to clients that ask, with the server state vector', async () => {
		const a = connect(server.wsUrl, liveDocument(roomId), alice, new Y.Doc(), { ack: '1' });
		let acked: Uint8Array | undefined;
		a.provider.messageHandlers[MESSAGE_SERVER_STATE] = (_encoder, decoder) => {
			acked = decoding.readVarUint8Array(decoder);
		};
		await waitFor(() => a.provider.synced);
		send(a.doc, alice.id, 'ack me');
		await waitFor(() => acked !== undefined && (Y.decodeStateVector(acked).get(a.doc.clientID) ?? 0) >= Y.decodeStateVector(Y.encodeStateVector(a.doc)).get(a.doc.clientID)!);
		a.provider.destroy();
	});
});

describe('malicious clients', () => {
	it('are refused with a reason while honest clients keep syncing', { timeout: 30_000 }, async () => {
		const honestA = connect(server.wsUrl, liveDocument(roomId), alice);
		const honestB = connect(server.wsUrl, liveDocument(roomId), bob);
		await waitFor(() => honestA.provider.synced && honestB.provider.synced);
		const attacker = await rawClient(mallory, liveDocument(roomId));
		const serverDoc = () => {
			const d = new Y.Doc();
			Y.applyUpdate(d, Y.encodeStateAsUpdate(honestA.doc));
			return d;
		};

		const attacks: [string, () => Uint8Array, RegExp][] = [
			[
				'forged author',
				() => {
					const d = serverDoc();
					const key = newMessageKey(alice.id);
					d.getMap(MESSAGES).set(key, message(key, 'I am Alice'));
					return Y.encodeStateAsUpdate(d, Y.encodeStateVector(honestA.doc));
				},
				/your own user id/
			],
			[
				'editing another person’s message',
				() => {
					const d = serverDoc();
					const [key] = [...d.getMap(MESSAGES).keys()].filter((k) => k.startsWith(alice.id));
					d.getMap(MESSAGES).set(key, message(key, 'edited by Mallory'));
					return Y.encodeStateAsUpdate(d, Y.encodeStateVector(honestA.doc));
				},
				/your own user id/
			],
			[
				'deleting another person’s message',
				() => {
					const d = serverDoc();
					const before = Y.encodeStateVector(d);
					let update: Uint8Array | undefined;
					d.on('update', (u: Uint8Array) => (update = u));
					const [key] = [...d.getMap(MESSAGES).keys()].filter((k) => k.startsWith(alice.id));
					d.getMap(MESSAGES).delete(key);
					return update ?? Y.encodeStateAsUpdate(d, before);
				},
				/delete your own/
			],
			[
				'a nested type',
				() => {
					const d = serverDoc();
					d.getMap(MESSAGES).set(newMessageKey(mallory.id), new Y.Map());
					return Y.encodeStateAsUpdate(d, Y.encodeStateVector(honestA.doc));
				},
				/nested/
			],
			[
				'an oversized update',
				() => {
					const d = serverDoc();
					d.transact(() => {
						for (let i = 0; i < 80; i++) {
							const key = newMessageKey(mallory.id);
							d.getMap(MESSAGES).set(key, message(key, 'z'.repeat(4000)));
						}
					});
					return Y.encodeStateAsUpdate(d, Y.encodeStateVector(honestA.doc));
				},
				/limit is 262144 bytes/
			],
			['random bytes as an update', () => new Uint8Array(200).map((_, i) => (i * 151 + 7) % 256), /not a valid Yjs update|malformed/],
			['random bytes as a frame', () => new Uint8Array(200).map((_, i) => (i * 151 + 7) % 256), /unknown message type|malformed/],
			[
				'a sync step 1 frame whose state vector is not one',
				() => {
					const e = encoding.createEncoder();
					encoding.writeVarUint(e, MESSAGE_SYNC);
					encoding.writeVarUint(e, 0);
					encoding.writeVarUint8Array(e, new Uint8Array([5, 1]));
					return encoding.toUint8Array(e);
				},
				/malformed/
			]
		];

		send(honestA.doc, alice.id, 'before the attack');
		await waitFor(() => texts(honestB.doc).includes('before the attack'));
		const stateBefore = Y.encodeStateAsUpdate(honestB.doc);

		for (const [name, make, reason] of attacks) {
			const count = attacker.denied.length;
			if (name.includes(' frame')) attacker.sendRaw(make());
			else attacker.sendUpdate(make());
			await waitFor(() => attacker.denied.length > count, 5000, `refusal of ${name} (denied so far: ${attacker.denied.join(' / ')})`);
			expect(attacker.denied.at(-1), name).toMatch(reason);
		}
		expect(attacker.closed()).toBeUndefined();

		// Nothing of it reached the honest clients, who go on syncing.
		send(honestA.doc, alice.id, 'after the attack');
		await waitFor(() => texts(honestB.doc).includes('after the attack'));
		const extra = texts(honestB.doc).filter((t) => !texts(yDocFrom(stateBefore)).includes(t));
		expect(extra).toEqual(['after the attack']);
		expect(texts(honestB.doc)).not.toContain('I am Alice');
		honestA.provider.destroy();
		honestB.provider.destroy();
		attacker.ws.close();
	});

	/** Sends one awareness state, as a fresh client id, over a raw connection; returns that client id. */
	function sendAwarenessState(attacker: Awaited<ReturnType<typeof rawClient>>, state: Record<string, unknown>): number {
		const doc = new Y.Doc();
		const awareness = new awarenessProtocol.Awareness(doc);
		awareness.setLocalState(state);
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
		attacker.sendRaw(encoding.toUint8Array(e));
		return doc.clientID;
	}

	/** Sends a forged awareness state, then an honest one: once the honest one arrives, the forged one would have too. */
	async function forgedIsDropped(state: Record<string, unknown>) {
		const honest = connect(server.wsUrl, roomId, bob);
		await waitFor(() => honest.provider.synced);
		const attacker = await rawClient(mallory);
		const forged = sendAwarenessState(attacker, state);
		const own = sendAwarenessState(attacker, { user: { id: mallory.id, name: 'Mallory' } });
		await waitFor(() => honest.provider.awareness.getStates().has(own), 5000, 'honest awareness');
		const dropped = !honest.provider.awareness.getStates().has(forged);
		honest.provider.destroy();
		attacker.ws.close();
		return dropped;
	}

	it('cannot claim another person in awareness', async () => {
		expect(await forgedIsDropped({ user: { id: alice.id, name: 'Alice' } })).toBe(true);
	});

	it('tells everyone how calls run, and nobody else can speak as the server', async () => {
		const honest = connect(server.wsUrl, roomId, bob);
		await waitFor(() => honest.provider.synced);
		const serverState = () => [...honest.provider.awareness.getStates().values()].filter((s) => s.server);
		await waitFor(() => serverState().length === 1, 5000, 'server state');
		// This test server runs without an SFU: calls stay mesh, up to six.
		expect(serverState()[0]).toEqual({ server: { call: { topology: 'mesh', janusRoom: null, sfu: false, limit: 6 } } });
		expect(await forgedIsDropped({ server: { call: { topology: 'sfu', janusRoom: 1, sfu: true, limit: null } } })).toBe(true);
		expect(serverState()).toHaveLength(1);
		honest.provider.destroy();
	});
});

function yDocFrom(update: Uint8Array) {
	const d = new Y.Doc();
	Y.applyUpdate(d, update);
	return d;
}

describe('storage', () => {
	it('keeps a room’s document when it is unloaded and loaded again', async () => {
		const room = createRoomWithMembers(server.parley.context.rooms, alice.id, { name: 'Persist', memberIds: [bob.id] }).id;
		const a = connect(server.wsUrl, liveDocument(room), alice);
		await waitFor(() => a.provider.synced);
		for (let i = 0; i < 5; i++) send(a.doc, alice.id, `kept ${i}`);
		await new Promise((r) => setTimeout(r, 200));
		a.provider.destroy();
		// A fresh server over the same database loads the document from SQLite.
		const b = connect(server.wsUrl, liveDocument(room), bob);
		await waitFor(() => texts(b.doc).length === 5, 5000, 'history');
		expect(texts(b.doc)).toEqual(['kept 0', 'kept 1', 'kept 2', 'kept 3', 'kept 4']);
		b.provider.destroy();
	});
});

describe('memory', () => {
	it('compacts after a megabyte of updates too, not only after many updates', { timeout: 20_000 }, async () => {
		const big = await startSyncTestServer({ SYNC_BYTES_PER_MINUTE: String(8 * 1024 * 1024), SYNC_BYTES_PER_DAY: String(64 * 1024 * 1024) });
		const ann = await big.signUp('Ann');
		const room = big.parley.context.rooms.create(ann.id, { name: 'Big' }).id;
		const a = connect(big.wsUrl, liveDocument(room), ann, new Y.Doc(), { ack: '1' });
		await waitFor(() => a.provider.synced);
		const db = big.parley.context.db;
		const snapshot = () => db.prepare('select seq from sync_snapshot where roomId = ?').get(room) as { seq: number } | undefined;
		// Each message close to the largest text, each batch of 60 in one update of ~240 KB: five updates pass a megabyte.
		for (let batch = 0; batch < 5; batch++) {
			a.doc.transact(() => {
				for (let i = 0; i < 60; i++) send(a.doc, ann.id, `${batch}.${i} ` + 'x'.repeat(3990));
			});
		}
		await waitFor(() => snapshot() !== undefined, 5000, 'compaction by bytes');
		expect(snapshot()!.seq).toBeGreaterThanOrEqual(5);
		expect(snapshot()!.seq).toBeLessThan(200);
		a.provider.destroy();
		await big.close();
	});

	it('sends a device that has nothing the document as stored, not encoded again, and it is whole', { timeout: 30_000 }, async () => {
		const big = await startSyncTestServer({ SYNC_UPDATES_PER_MINUTE: '10000', SYNC_BYTES_PER_MINUTE: String(8 * 1024 * 1024) });
		const ann = await big.signUp('Ann');
		const room = big.parley.context.rooms.create(ann.id, { name: 'Stored' }).id;
		const a = connect(big.wsUrl, liveDocument(room), ann, new Y.Doc(), { ack: '1' });
		await waitFor(() => a.provider.synced);
		// 200 updates compact into a snapshot of ~100 KB; 20 more, once it is written, stay as updates after it.
		for (let i = 0; i < 200; i++) send(a.doc, ann.id, `${i} ` + 'words '.repeat(80));
		const db = big.parley.context.db;
		const [, period] = liveDocument(room).split('/');
		const stored = () => ({
			snapshot: db.prepare('select seq, data from sync_snapshot where roomId = ? and period = ?').get(room, period) as { seq: number; data: Uint8Array } | undefined,
			after: (db.prepare('select data from sync_update where roomId = ? and period = ? order by seq').all(room, period) as { data: Uint8Array }[]).map((r) => r.data)
		});
		await waitFor(() => stored().snapshot?.seq === 200, 10_000, 'a snapshot');
		for (let i = 200; i < 220; i++) send(a.doc, ann.id, `${i} ` + 'words '.repeat(80));
		await waitFor(() => stored().after.length === 20, 10_000, 'updates after the snapshot');
		const { snapshot, after } = stored();
		expect(snapshot!.data.byteLength).toBeGreaterThan(64 * 1024);

		const raw = await rawSyncClient(big.wsUrl, liveDocument(room), ann);
		const step1 = encoding.createEncoder();
		encoding.writeVarUint(step1, MESSAGE_SYNC);
		encoding.writeVarUint(step1, 0);
		encoding.writeVarUint8Array(step1, Y.encodeStateVector(new Y.Doc()));
		raw.sendRaw(encoding.toUint8Array(step1));
		const syncFrames = () =>
			raw.received.flatMap((bytes) => {
				const decoder = decoding.createDecoder(bytes);
				if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return [];
				return [{ kind: decoding.readVarUint(decoder), payload: decoding.readVarUint8Array(decoder) }];
			});
		// The server's own step 1 first, then the stored updates and the snapshot as step 2.
		await waitFor(() => syncFrames().some((f) => f.kind === 1), 10_000, 'sync step 2');
		const answer = syncFrames().slice(1);
		expect(answer.map((f) => f.kind)).toEqual([...after.map(() => 2), 1]);
		expect(answer.at(-1)!.payload).toEqual(snapshot!.data);
		expect(answer.slice(0, -1).map((f) => f.payload)).toEqual(after);
		// Applied in the order they came, they are the whole room.
		const fresh = new Y.Doc();
		for (const f of answer) Y.applyUpdate(fresh, f.payload);
		expect(texts(fresh)).toHaveLength(220);
		expect(texts(fresh)).toEqual(texts(a.doc));
		raw.ws.close();
		a.provider.destroy();
		await big.close();
	});

	it('compacts stored updates into a snapshot and unloads idle rooms', { timeout: 20_000 }, async () => {
		const idle = await startSyncTestServer({ ROOM_IDLE_SECONDS: '1', SYNC_UPDATES_PER_MINUTE: '1000' });
		const ann = await idle.signUp('Ann');
		const room = idle.parley.context.rooms.create(ann.id, { name: 'Idle' }).id;
		const a = connect(idle.wsUrl, liveDocument(room), ann, new Y.Doc(), { ack: '1' });
		await waitFor(() => a.provider.synced);
		for (let i = 0; i < 260; i++) send(a.doc, ann.id, `message ${i}`);
		const db = idle.parley.context.db;
		const count = () => (db.prepare('select count(*) as n from sync_update where roomId = ?').get(room) as { n: number }).n;
		const snapshot = () => db.prepare('select seq from sync_snapshot where roomId = ?').get(room) as { seq: number } | undefined;
		await waitFor(() => (snapshot()?.seq ?? 0) >= 200, 5000, 'background compaction');
		expect(count()).toBeLessThan(100);
		const sync = idle.parley.sync;
		expect(sync.loadedRooms()).toContain(liveDocument(room));
		a.provider.destroy();
		await waitFor(() => !sync.loadedRooms().includes(liveDocument(room)), 5000, 'unload');
		// Loaded again on next use, with everything.
		const b = connect(idle.wsUrl, liveDocument(room), ann);
		await waitFor(() => texts(b.doc).length === 260, 5000, 'reload');
		b.provider.destroy();
		await idle.close();
	});
});

describe('calls', () => {
	it('stops the ringing on a person’s other devices when they join the call, once', async () => {
		const calls = await startSyncTestServer();
		const ann = await calls.signUp('Ann');
		const room = calls.parley.context.rooms.create(ann.id, { name: 'Call' }).id;
		const ended: string[][] = [];
		calls.parley.context.events.onChange((change) => {
			if (change.kind === 'ring-ended') ended.push(change.notify);
		});
		const a = connect(calls.wsUrl, room, ann);
		await waitFor(() => a.provider.synced);
		a.provider.awareness.setLocalState({ user: { id: ann.id, name: 'Ann' } });
		expect(ended).toEqual([]);
		a.provider.awareness.setLocalStateField('call', { peerId: 'p1', joinedAt: 1 });
		await waitFor(() => ended.length === 1, 5000, 'ring end for Ann');
		// Changing mute state in the call is not joining again.
		a.provider.awareness.setLocalStateField('call', { peerId: 'p1', joinedAt: 1, audio: false });
		await new Promise((r) => setTimeout(r, 200));
		expect(ended).toEqual([[ann.id]]);
		a.provider.destroy();
		await calls.close();
	});
});

describe('message index', () => {
	it('catches up with the document on load after a crash lost its last batch', { timeout: 20_000 }, async () => {
		const idle = await startSyncTestServer({ ROOM_IDLE_SECONDS: '1', SYNC_UPDATES_PER_MINUTE: '1000' });
		const ann = await idle.signUp('Ann');
		const room = idle.parley.context.rooms.create(ann.id, { name: 'Index' }).id;
		const a = connect(idle.wsUrl, liveDocument(room), ann);
		await waitFor(() => a.provider.synced);
		for (let i = 0; i < 5; i++) send(a.doc, ann.id, `indexed ${i}`);
		const db = idle.parley.context.db;
		const indexed = () => (db.prepare('select count(*) as n from chat_message where roomId = ?').get(room) as { n: number }).n;
		await waitFor(() => indexed() === 5, 5000, 'index');
		a.provider.destroy();
		const sync = idle.parley.sync;
		await waitFor(() => !sync.loadedRooms().includes(liveDocument(room)), 5000, 'unload');
		// As if the last index batch had been lost in a crash.
		db.prepare('delete from chat_message where roomId = ?').run(room);
		const b = connect(idle.wsUrl, liveDocument(room), ann);
		await waitFor(() => b.provider.synced);
		expect(indexed()).toBe(5);
		b.provider.destroy();
		await idle.close();
	});
});
