import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
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
import { createMetrics } from './metrics.ts';
import type { Lookup } from './public-address.ts';
import { PublicAgent } from './public-agent.ts';
import { DEFAULT_PUSH_LIMITS, Push } from './push.ts';
import { Rooms } from './rooms.ts';
import { createRoomWithMembers } from './rooms-fixture.ts';

/** A local HTTPS server playing the browser vendor's push service: it records each push and answers with a chosen status. */
type Received = { path: string; headers: Record<string, string | string[] | undefined>; body: Buffer };
let pushService: Server;
let pushUrl: string;
let cert: Buffer;
const received: Received[] = [];
const answers = new Map<string, number>();

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'parley-push-'));
	execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
	cert = readFileSync(join(dir, 'cert.pem'));
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
const vapid = { subject: 'mailto:test@parley.test', ...webPush.generateVAPIDKeys() };

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
	push = new Push({ db, rooms, events, metrics: createMetrics(), log: createLogger('error'), vapid, ca: cert, allowPrivateEndpoints: true });
	for (const [id, name] of [['ann', 'Ann'], ['bob', 'Bob'], ['cid', 'Cid'], ['dee', 'Dee']]) addUser(id, name);
});

describe('ringing', () => {
	it('sends an encrypted, short-lived, urgent push to every other member, with ids and names only', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid'] }).id;
		const bob = browserSubscription('bob');
		const cid = browserSubscription('cid');
		const ann = browserSubscription('ann');
		await push.subscribe('bob', bob.body);
		await push.subscribe('cid', cid.body);
		await push.subscribe('ann', ann.body);
		expect(await push.ring(room, { id: 'ann', name: 'Ann' }).sent).toBe(2);
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

	it('tells the service worker the language its person chose', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob'] }).id;
		const bob = browserSubscription('bob');
		await push.subscribe('bob', bob.body);
		db.prepare("update user set locale = 'ru' where id = 'bob'").run();
		await push.ring(room, { id: 'ann', name: 'Ann' }).sent;
		expect(bob.decrypt(received[0])).toMatchObject({ type: 'ring', callerName: 'Ann', locale: 'ru' });
	});

	it('leaves out people already in the call, and closes the notification after', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid'] }).id;
		const bob = browserSubscription('bob');
		await push.subscribe('bob', bob.body);
		await push.subscribe('cid', browserSubscription('cid').body);
		push = new Push({ db, rooms, events: new RoomEvents(), metrics: createMetrics(), log: createLogger('error'), vapid, ca: cert, allowPrivateEndpoints: true, inCall: () => new Set(['cid']) });
		expect(await push.ring(room, { id: 'ann', name: 'Ann' }).sent).toBe(1);
		received.length = 0;
		await push.endRing(room, ['bob']);
		expect(bob.decrypt(received[0])).toEqual({ type: 'ring-end', roomId: room });
	});

	it('does not ring people who blocked the caller, nor people only invited', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid'] }).id;
		rooms.addMember('ann', room, 'dee');
		for (const who of ['bob', 'cid', 'dee']) await push.subscribe(who, browserSubscription(who).body);
		rooms.people.block('bob', 'ann');
		expect(await push.ring(room, { id: 'ann', name: 'Ann' }).sent).toBe(1);
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
		for (const who of ['bob', 'cid', 'dee']) await push.subscribe(who, browserSubscription(who).body);
		answers.set('/push/bob', 410);
		answers.set('/push/cid', 404);
		answers.set('/push/dee', 500);
		expect(await push.ring(room, { id: 'ann', name: 'Ann' }).sent).toBe(0);
		const left = (db.prepare('select userId from push_subscription order by userId').all() as { userId: string }[]).map((r) => r.userId);
		expect(left).toEqual(['dee']);
	});

	it('belong to the person who made them: nobody else can delete or take one over', async () => {
		const bob = browserSubscription('bob');
		await push.subscribe('bob', bob.body);
		expect(() => push.unsubscribe('ann', bob.body.endpoint)).toThrow(expect.objectContaining({ status: 404 }));
		await expect(push.subscribe('ann', bob.body)).rejects.toMatchObject({ status: 409 });
		push.unsubscribe('bob', bob.body.endpoint);
		expect(db.prepare('select count(*) as n from push_subscription').get()).toEqual({ n: 0 });
	});
});

describe('subscriptions per person', () => {
	it('are capped: a new device replaces the oldest one', async () => {
		push = new Push({ db, rooms, events: new RoomEvents(), metrics: createMetrics(), log: createLogger('error'), vapid, ca: cert, allowPrivateEndpoints: true, limits: { ...DEFAULT_PUSH_LIMITS, subscriptionsPerPerson: 3 } });
		for (const n of [1, 2, 3, 4, 5]) await push.subscribe('bob', browserSubscription(`bob-${n}`).body);
		const kept = (db.prepare('select endpoint from push_subscription where userId = ? order by endpoint').all('bob') as { endpoint: string }[]).map((r) => r.endpoint.split('/').pop());
		expect(kept).toEqual(['bob-3', 'bob-4', 'bob-5']);
	});
});

describe('ringing limits', () => {
	it('refuse a caller ringing more than the limit a minute with 429 saying when to try again; other callers still ring', async () => {
		push = new Push({ db, rooms, events: new RoomEvents(), metrics: createMetrics(), log: createLogger('error'), vapid, limits: { subscriptionsPerPerson: 10, ringsPerMinute: 2, roomRingsPerMinute: 3 } });
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid', 'dee'] }).id;
		push.ring(room, { id: 'ann', name: 'Ann' });
		push.ring(room, { id: 'ann', name: 'Ann' });
		expect(() => push.ring(room, { id: 'ann', name: 'Ann' })).toThrow(expect.objectContaining({ status: 429, message: expect.stringMatching(/try again in \d+ seconds/) }));
		push.ring(room, { id: 'bob', name: 'Bob' });
		// The room's own limit holds whoever rings.
		expect(() => push.ring(room, { id: 'cid', name: 'Cid' })).toThrow(expect.objectContaining({ status: 429, message: expect.stringMatching(/This room has rung too often/) }));
	});

	it('also hold for ending the ringing and for declining', () => {
		push = new Push({ db, rooms, events: new RoomEvents(), metrics: createMetrics(), log: createLogger('error'), vapid, limits: { subscriptionsPerPerson: 10, ringsPerMinute: 1, roomRingsPerMinute: 10 } });
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob'] }).id;
		push.cancelRing(room, 'ann');
		expect(() => push.cancelRing(room, 'ann')).toThrow(expect.objectContaining({ status: 429 }));
		push.decline(room, 'bob');
		expect(() => push.decline(room, 'bob')).toThrow(expect.objectContaining({ status: 429 }));
	});
});

describe('endpoint addresses (the default policy)', () => {
	let logged: string[];
	const strictPush = (resolve?: Lookup) => {
		logged = [];
		return new Push({ db, rooms, events: new RoomEvents(), metrics: createMetrics(), log: createLogger('info', (l) => logged.push(l)), vapid, ca: cert, resolve });
	};
	const keys = () => browserSubscription('x').body.keys;

	it.each([
		['http://push.example.org/x', 'plain http'],
		['https://push.example.org:8443/x', 'another port than 443'],
		['https://127.0.0.1/x', 'loopback'],
		['https://localhost/x', 'a name resolving to loopback'],
		['https://10.1.2.3/x', 'a private address'],
		['https://169.254.169.254/latest', 'link-local (cloud metadata)'],
		['https://100.64.0.1/x', 'carrier-grade NAT'],
		['https://[::1]/x', 'IPv6 loopback'],
		['https://[::ffff:127.0.0.1]/x', 'IPv4-mapped loopback'],
		['https://[fd00::1]/x', 'IPv6 unique local'],
		['https://[fe80::1]/x', 'IPv6 link-local'],
		['https://0.0.0.0/x', 'unspecified'],
		['https://push.invalid/x', 'a name that does not resolve']
	])('refuse %s (%s) on subscribing, with a 400 naming the endpoint', async (endpoint) => {
		const push = strictPush();
		await expect(push.subscribe('bob', { endpoint, keys: keys() })).rejects.toMatchObject({ status: 400, field: 'endpoint', message: expect.stringMatching(/public internet/) });
		expect(db.prepare('select count(*) as n from push_subscription').get()).toEqual({ n: 0 });
	});

	it('accept a public https endpoint on port 443', async () => {
		const push = strictPush();
		await push.subscribe('bob', { endpoint: 'https://[2001:4860:4860::8888]/push/x', keys: keys() });
		await push.subscribe('cid', { endpoint: 'https://8.8.8.8:443/push/y', keys: keys() });
		expect(db.prepare('select count(*) as n from push_subscription').get()).toEqual({ n: 2 });
	});

	it('are checked again when sending: a host that resolves to 127.0.0.1 by then is skipped and logged', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid'] }).id;
		// A name that resolves to a public address when it is subscribed, and to loopback at send time (DNS rebinding).
		let answer = '8.8.4.4';
		const rebinding: Lookup = (_host, _options, callback) => callback(null, [{ address: answer, family: 4 }]);
		const push = strictPush(rebinding);
		await push.subscribe('bob', { endpoint: 'https://push.rebinding.test/push/bob', keys: keys() });
		answer = '127.0.0.1';
		// And one stored before the checks existed: real DNS, localhost.
		db.prepare('insert into push_subscription (endpoint, userId, p256dh, auth, createdAt) values (?, ?, ?, ?, 0)').run('https://localhost/push/cid', 'cid', keys().p256dh, keys().auth);
		expect(await push.ring(room, { id: 'ann', name: 'Ann' }).sent).toBe(0);
		expect(received).toEqual([]);
		const refused = logged.map((l) => JSON.parse(l)).filter((l) => l.event === 'push.endpoint_refused');
		expect(refused.map((l) => [l.userId, l.host]).sort()).toEqual([['bob', 'push.rebinding.test'], ['cid', 'localhost']]);
		expect(refused.every((l) => /127\.0\.0\.1, which is not a public address/.test(l.reason))).toBe(true);
	});

	it('are enforced where the connection is made, on the address it uses', async () => {
		const get = (url: string, agent = new PublicAgent({ ca: cert })) =>
			new Promise<string>((resolve) => {
				const req = request(url, { agent, method: 'POST' }, () => resolve('connected'));
				req.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? error.message));
				req.end();
			});
		expect(await get(`${pushUrl.replace('127.0.0.1', 'localhost')}/push/a`)).toBe('ERR_ADDRESS_NOT_PUBLIC');
		expect(await get(`${pushUrl}/push/b`)).toBe('ERR_ADDRESS_NOT_PUBLIC');
		expect(await get(`${pushUrl.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/push/c`)).toBe('ERR_ADDRESS_NOT_PUBLIC');
		expect(received).toEqual([]);
		expect(await get(`${pushUrl.replace('127.0.0.1', '8.8.8.8')}/push/d`, new PublicAgent({ ca: cert, onlyPort: 443 }))).toBe('ERR_PORT_REFUSED');
	});
});

describe('message notifications', () => {
	it('go only to people who turned them on and are not in the room, with the text', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid', 'dee'] }).id;
		const bob = browserSubscription('bob');
		await push.subscribe('bob', { ...bob.body, messages: true });
		await push.subscribe('cid', { ...browserSubscription('cid').body, messages: false });
		await push.subscribe('dee', { ...browserSubscription('dee').body, messages: true });
		const added = [
			{ authorId: 'ann', text: 'hi' },
			{ authorId: 'ann', text: 'lunch?' }
		];
		expect(await push.messages(room, added, new Set(['dee']))).toBe(1);
		expect(received.map((r) => r.path)).toEqual(['/push/bob']);
		expect(bob.decrypt(received[0])).toEqual({ type: 'message', roomId: room, roomName: 'Team', authorName: 'Ann', text: 'lunch?', count: 2 });
	});

	it('tell of a mention even where message notifications are off, by name, unless the room is set to nothing', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid', 'dee'] }).id;
		const bob = browserSubscription('bob');
		const cid = browserSubscription('cid');
		await push.subscribe('bob', { ...bob.body, messages: true });
		await push.subscribe('cid', { ...cid.body, messages: false });
		await push.subscribe('dee', { ...browserSubscription('dee').body, messages: true });
		rooms.setNotifications('dee', room, 'none');
		const added = [{ authorId: 'ann', text: 'ask <@cid> and <@dee>', mentions: ['cid', 'dee'] }];
		expect(await push.messages(room, added, new Set())).toBe(2);
		expect(received.map((r) => r.path).sort()).toEqual(['/push/bob', '/push/cid']);
		const toCid = received.find((r) => r.path === '/push/cid')!;
		expect(cid.decrypt(toCid)).toEqual({ type: 'message', roomId: room, roomName: 'Team', authorName: 'Ann', text: 'ask @Cid and @Dee', count: 1, mention: true });
		const toBob = received.find((r) => r.path === '/push/bob')!;
		expect(bob.decrypt(toBob)).toMatchObject({ text: 'ask @Cid and @Dee', count: 1 });
		expect(bob.decrypt(toBob)).not.toHaveProperty('mention');
	});

	it('follow each member’s level for the room: "mentions" hears only mentions of them', async () => {
		const room = createRoomWithMembers(rooms, 'ann', { name: 'Team', memberIds: ['bob', 'cid'] }).id;
		const bob = browserSubscription('bob');
		await push.subscribe('bob', { ...bob.body, messages: true });
		rooms.setNotifications('bob', room, 'mentions');
		expect(await push.messages(room, [{ authorId: 'ann', text: 'lunch?' }], new Set())).toBe(0);
		expect(await push.messages(room, [{ authorId: 'cid', text: 'and <@ann>?', mentions: ['ann'] }], new Set())).toBe(0);
		expect(await push.messages(room, [{ authorId: 'ann', text: '<@bob> lunch?', mentions: ['bob'] }, { authorId: 'ann', text: 'later' }], new Set())).toBe(1);
		expect(bob.decrypt(received[0])).toMatchObject({ text: '@Bob lunch?', mention: true });
		// Nobody is told of their own mention of themselves.
		expect(await push.messages(room, [{ authorId: 'bob', text: 'me, <@bob>', mentions: ['bob'] }], new Set())).toBe(0);
	});
});
