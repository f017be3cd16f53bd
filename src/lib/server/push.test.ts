import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import ece from 'http_ece';
import webPush from 'web-push';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiFailure } from './api-failure.ts';
import { migrate, readMigrations } from './db.ts';
import { RoomEvents, type RoomChange } from './events.ts';
import { createLogger } from './log.ts';
import { Push } from './push.ts';
import { Rooms } from './rooms.ts';
import { createRoomWithMembers } from './rooms-fixture.ts';

/** A local HTTPS server playing the browser vendor's push service: it records each push and answers with a chosen status. */
type Received = { path: string; headers: Record<string, string | string[] | undefined>; body: Buffer };
let pushService: Server;
let pushUrl: string;
let agent: Agent;
const received: Received[] = [];
const answers = new Map<string, number>();

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'parley-push-'));
	execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
	const cert = readFileSync(join(dir, 'cert.pem'));
	pushService = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			received.push({ path: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
			res.writeHead(answers.get(req.url!) ?? 201).end();
		});
	});
	await new Promise<void>((r) => pushService.listen(0, '127.0.0.1', r));
	pushUrl = `https://127.0.0.1:${(pushService.address() as { port: number }).port}`;
	agent = new Agent({ ca: cert });
});
afterAll(() => new Promise<void>((r) => pushService.close(() => r())));

/** A browser's subscription: its keys stay here so the test can decrypt what it receives. */
function browserSubscription(name: string) {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	const auth = randomBytes(16);
	return {
		ecdh,
		auth,
		body: { endpoint: `${pushUrl}/push/${name}`, keys: { p256dh: ecdh.getPublicKey('base64url'), auth: auth.toString('base64url') } },
		decrypt: (message: Received) => JSON.parse(ece.decrypt(message.body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth.toString('base64url') }).toString('utf8'))
	};
}

let db: DatabaseSync;
let rooms: Rooms;
let push: Push;
let changes: RoomChange[];
const vapidKeys = webPush.generateVAPIDKeys();

function addUser(id: string, name = id) {
	db.prepare('insert into user (id, name, email, emailVerified, createdAt, updatedAt) values (?, ?, ?, 0, 0, 0)').run(id, name, `${id}@parley.test`);
}

beforeEach(() => {
	received.length = 0;
	answers.clear();
	db = new DatabaseSync(':memory:');
	db.exec('pragma foreign_keys = on');
	migrate(db, readMigrations(join(import.meta.dirname, '../../../migrations')));
	const events = new RoomEvents();
	changes = [];
	events.onChange((c) => changes.push(c));
	rooms = new Rooms({ db, events, memberLimit: 100, createPerHour: 100 });
	push = new Push({ db, rooms, events, log: createLogger('error'), vapid: { subject: 'mailto:test@parley.test', ...vapidKeys }, agent });
	for (const [id, name] of [['ann', 'Ann'], ['bob', 'Bob'], ['cid', 'Cid'], ['dee', 'Dee']]) addUser(id, name);
});

describe('ringing', () => {
	it('sends an encrypted, short-lived, urgent push to every other member, with ids and names only', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid'] }).id;
		const bob = browserSubscription('bob');
		const cid = browserSubscription('cid');
		const ann = browserSubscription('ann');
		push.subscribe('bob', bob.body);
		push.subscribe('cid', cid.body);
		push.subscribe('ann', ann.body);
		expect(await push.ring(room, { id: 'ann', name: 'Ann' })).toBe(2);
		expect(received.map((r) => r.path).sort()).toEqual(['/push/bob', '/push/cid']);
		const message = received.find((r) => r.path === '/push/bob')!;
		expect(message.headers['content-encoding']).toBe('aes128gcm');
		expect(message.headers.ttl).toBe('45');
		expect(message.headers.urgency).toBe('high');
		expect(message.headers.topic).toMatch(/^[\w-]{32}$/);
		expect(String(message.headers.authorization)).toMatch(/^vapid t=.+, k=/);
		expect(message.body.includes(Buffer.from('Ann'))).toBe(false);
		expect(bob.decrypt(message)).toEqual({ type: 'ring', roomId: room, roomName: 'Team', callerId: 'ann', callerName: 'Ann', at: expect.any(Number) });
	});

	it('leaves out people already in the call, and closes the notification after', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid'] }).id;
		const bob = browserSubscription('bob');
		push.subscribe('bob', bob.body);
		push.subscribe('cid', browserSubscription('cid').body);
		push.inCall = () => new Set(['cid']);
		expect(await push.ring(room, { id: 'ann', name: 'Ann' })).toBe(1);
		received.length = 0;
		await push.endRing(room, ['bob']);
		expect(bob.decrypt(received[0])).toEqual({ type: 'ring-end', roomId: room });
	});

	it('does not ring people who blocked the caller, nor people only invited', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid'] }).id;
		rooms.addMember('ann', room, 'dee');
		for (const who of ['bob', 'cid', 'dee']) push.subscribe(who, browserSubscription(who).body);
		rooms.block('bob', 'ann');
		expect(await push.ring(room, { id: 'ann', name: 'Ann' })).toBe(1);
		expect(received.map((r) => r.path)).toEqual(['/push/cid']);
		expect(changes.find((c) => c.kind === 'ringing')?.notify).toEqual(['cid']);
	});

	it('tells the others when someone declines', () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob'] }).id;
		push.decline(room, 'bob');
		expect(changes.find((c) => c.kind === 'ring-declined')).toEqual({ roomId: room, kind: 'ring-declined', notify: ['ann'], revoked: [], by: 'bob' });
		expect(() => push.decline(room, 'dee')).toThrow(ApiFailure);
	});
});

describe('subscriptions', () => {
	it('that the push service reports gone (404, 410) are deleted; others are kept', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid', 'dee'] }).id;
		for (const who of ['bob', 'cid', 'dee']) push.subscribe(who, browserSubscription(who).body);
		answers.set('/push/bob', 410);
		answers.set('/push/cid', 404);
		answers.set('/push/dee', 500);
		expect(await push.ring(room, { id: 'ann', name: 'Ann' })).toBe(0);
		const left = (db.prepare('select userId from push_subscription order by userId').all() as { userId: string }[]).map((r) => r.userId);
		expect(left).toEqual(['dee']);
	});

	it('belong to the person who made them: nobody else can delete or take one over', () => {
		const bob = browserSubscription('bob');
		push.subscribe('bob', bob.body);
		expect(() => push.unsubscribe('ann', bob.body.endpoint)).toThrow(expect.objectContaining({ status: 404 }));
		expect(() => push.subscribe('ann', bob.body)).toThrow(expect.objectContaining({ status: 409 }));
		push.unsubscribe('bob', bob.body.endpoint);
		expect(db.prepare('select count(*) as n from push_subscription').get()).toEqual({ n: 0 });
	});
});

describe('message notifications', () => {
	it('go only to people who turned them on and are not in the room, with the text', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid', 'dee'] }).id;
		const bob = browserSubscription('bob');
		push.subscribe('bob', { ...bob.body, messages: true });
		push.subscribe('cid', { ...browserSubscription('cid').body, messages: false });
		push.subscribe('dee', { ...browserSubscription('dee').body, messages: true });
		expect(await push.messages(room, { authorId: 'ann', text: 'lunch?' }, 2, new Set(['dee']))).toBe(1);
		expect(received.map((r) => r.path)).toEqual(['/push/bob']);
		expect(bob.decrypt(received[0])).toEqual({ type: 'message', roomId: room, roomName: 'Team', authorName: 'Ann', text: 'lunch?', count: 2 });
	});
});
