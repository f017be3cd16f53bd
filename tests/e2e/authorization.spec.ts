import { createECDH, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { call, signUpPerson, type Person } from './support/api-client.ts';

/**
 * Every API endpoint × every kind of caller, with the status each must get. A test below
 * reads the route files, so an endpoint added without its row here fails the suite.
 */
type Actor = 'signedOut' | 'nonMember' | 'member' | 'admin' | 'owner';
const ACTORS: Actor[] = ['signedOut', 'nonMember', 'member', 'admin', 'owner'];

type World = { roomId: string; token: string; target: Person; stranger: Person; owner: Person; fileId?: string; sessionId?: string };
type Row = {
	endpoint: string;
	path: (w: World) => string;
	body?: (w: World) => unknown;
	/** Sets up what the call acts on (e.g. a pending invitation), as the owner or as the caller. */
	prepare?: (baseURL: string, w: World, who: Person | null) => Promise<void>;
	expect: [number, number, number, number, number];
};

//                                                                                       signedOut nonMember member admin owner
const TABLE: Row[] = [
	{ endpoint: 'GET /api/rooms', path: () => '/api/rooms', expect: [401, 200, 200, 200, 200] },
	{ endpoint: 'POST /api/rooms', path: () => '/api/rooms', body: () => ({ name: 'New' }), expect: [401, 201, 201, 201, 201] },
	{ endpoint: 'POST /api/rooms/direct', path: () => '/api/rooms/direct', body: (w) => ({ userId: w.stranger.id }), expect: [401, 201, 201, 201, 201] },
	{ endpoint: 'GET /api/rooms/[id]', path: (w) => `/api/rooms/${w.roomId}`, expect: [401, 404, 200, 200, 200] },
	{ endpoint: 'PATCH /api/rooms/[id]', path: (w) => `/api/rooms/${w.roomId}`, body: () => ({ name: 'Renamed' }), expect: [401, 404, 403, 200, 200] },
	{ endpoint: 'DELETE /api/rooms/[id]', path: (w) => `/api/rooms/${w.roomId}`, expect: [401, 404, 403, 403, 204] },
	{ endpoint: 'POST /api/rooms/[id]/members', path: (w) => `/api/rooms/${w.roomId}/members`, body: (w) => ({ userId: w.stranger.id }), expect: [401, 404, 403, 201, 201] },
	{ endpoint: 'DELETE /api/rooms/[id]/members/[userId]', path: (w) => `/api/rooms/${w.roomId}/members/${w.target.id}`, expect: [401, 404, 403, 204, 204] },
	{ endpoint: 'PATCH /api/rooms/[id]/members/[userId]', path: (w) => `/api/rooms/${w.roomId}/members/${w.target.id}`, body: () => ({ role: 'admin' }), expect: [401, 404, 403, 403, 200] },
	{ endpoint: 'GET /api/rooms/[id]/invites', path: (w) => `/api/rooms/${w.roomId}/invites`, expect: [401, 404, 403, 200, 200] },
	{ endpoint: 'POST /api/rooms/[id]/invites', path: (w) => `/api/rooms/${w.roomId}/invites`, body: () => ({}), expect: [401, 404, 403, 201, 201] },
	{ endpoint: 'DELETE /api/rooms/[id]/invites/[token]', path: (w) => `/api/rooms/${w.roomId}/invites/${w.token}`, expect: [401, 404, 403, 204, 204] },
	{ endpoint: 'POST /api/rooms/[id]/read', path: (w) => `/api/rooms/${w.roomId}/read`, expect: [401, 404, 204, 204, 204] },
	{ endpoint: 'PUT /api/rooms/[id]/notifications', path: (w) => `/api/rooms/${w.roomId}/notifications`, body: () => ({ level: 'mentions' }), expect: [401, 404, 204, 204, 204] },
	{ endpoint: 'GET /api/invites/[token]', path: (w) => `/api/invites/${w.token}`, expect: [401, 200, 200, 200, 200] },
	{ endpoint: 'POST /api/invites/[token]/accept', path: (w) => `/api/invites/${w.token}/accept`, expect: [401, 200, 200, 200, 200] },
	{ endpoint: 'GET /api/users', path: () => '/api/users?q=ad', expect: [401, 200, 200, 200, 200] },
	// Answers from the caller's own rooms only (search.spec checks a non-member finds nothing of the room).
	{ endpoint: 'GET /api/search', path: () => '/api/search?q=hello', expect: [401, 200, 200, 200, 200] },
	{ endpoint: 'GET /api/events', path: () => '/api/events', expect: [401, 200, 200, 200, 200] },
	{ endpoint: 'POST /api/rooms/[id]/call/peer', path: (w) => `/api/rooms/${w.roomId}/call/peer`, expect: [401, 404, 201, 201, 201] },
	// No call is on the SFU in this room, so members are told so (409); strangers still learn nothing (404).
	{ endpoint: 'POST /api/rooms/[id]/call/sfu', path: (w) => `/api/rooms/${w.roomId}/call/sfu`, expect: [401, 404, 409, 409, 409] },
	{ endpoint: 'GET /api/ice-servers', path: (w) => `/api/ice-servers?room=${w.roomId}`, expect: [401, 404, 200, 200, 200] },
	{ endpoint: 'GET /api/push/key', path: () => '/api/push/key', expect: [401, 200, 200, 200, 200] },
	{ endpoint: 'PUT /api/settings/locale', path: () => '/api/settings/locale', body: () => ({ locale: 'en' }), expect: [401, 204, 204, 204, 204] },
	{ endpoint: 'POST /api/push/subscriptions', path: () => '/api/push/subscriptions', body: () => fakeSubscription(), expect: [401, 201, 201, 201, 201] },
	// Nobody has a subscription with this endpoint, so nobody can delete it (tests/e2e/push.spec.ts covers one's own).
	{ endpoint: 'DELETE /api/push/subscriptions', path: () => '/api/push/subscriptions', body: () => ({ endpoint: 'https://push.invalid/none' }), expect: [401, 404, 404, 404, 404] },
	{ endpoint: 'POST /api/rooms/[id]/ring', path: (w) => `/api/rooms/${w.roomId}/ring`, expect: [401, 404, 202, 202, 202] },
	{ endpoint: 'DELETE /api/rooms/[id]/ring', path: (w) => `/api/rooms/${w.roomId}/ring`, expect: [401, 404, 204, 204, 204] },
	{ endpoint: 'GET /api/invitations', path: () => '/api/invitations', expect: [401, 200, 200, 200, 200] },
	// Only one's own invitation can be answered: nobody here has one to this room.
	{ endpoint: 'POST /api/invitations/[id]', path: (w) => `/api/invitations/${w.roomId}`, expect: [401, 404, 404, 404, 404] },
	{ endpoint: 'DELETE /api/invitations/[id]', path: (w) => `/api/invitations/${w.roomId}`, expect: [401, 404, 404, 404, 404] },
	{
		endpoint: 'DELETE /api/rooms/[id]/invitations/[userId]',
		path: (w) => `/api/rooms/${w.roomId}/invitations/${w.stranger.id}`,
		prepare: async (baseURL, w) => expect((await call(baseURL, w.owner, 'POST', `/api/rooms/${w.roomId}/members`, { userId: w.stranger.id })).status).toBe(201),
		expect: [401, 404, 403, 204, 204]
	},
	{
		endpoint: 'DELETE /api/rooms/[id]/bans/[userId]',
		path: (w) => `/api/rooms/${w.roomId}/bans/${w.target.id}`,
		prepare: async (baseURL, w) => expect((await call(baseURL, w.owner, 'DELETE', `/api/rooms/${w.roomId}/members/${w.target.id}?ban=1`)).status).toBe(204),
		expect: [401, 404, 403, 204, 204]
	},
	{ endpoint: 'GET /api/blocks', path: () => '/api/blocks', expect: [401, 200, 200, 200, 200] },
	{ endpoint: 'POST /api/blocks', path: () => '/api/blocks', body: (w) => ({ userId: w.stranger.id }), expect: [401, 204, 204, 204, 204] },
	{
		endpoint: 'DELETE /api/blocks/[userId]',
		path: (w) => `/api/blocks/${w.stranger.id}`,
		prepare: async (baseURL, w, who) => {
			if (who) expect((await call(baseURL, who, 'POST', '/api/blocks', { userId: w.stranger.id })).status).toBe(204);
		},
		expect: [401, 204, 204, 204, 204]
	},
	{ endpoint: 'POST /api/rooms/[id]/files', path: (w) => `/api/rooms/${w.roomId}/files?name=note.json`, body: () => ({ note: 'a file' }), expect: [401, 404, 201, 201, 201] },
	{ endpoint: 'GET /api/files/[id]', path: (w) => `/api/files/${w.fileId}`, prepare: postImage, expect: [401, 404, 200, 200, 200] },
	{ endpoint: 'GET /api/files/[id]/thumbnail', path: (w) => `/api/files/${w.fileId}/thumbnail`, prepare: postImage, expect: [401, 404, 200, 200, 200] },
	// Someone else's device: no one signs it out but them (their own other device: account.spec.ts).
	{
		endpoint: 'DELETE /api/account/sessions/[id]',
		path: (w) => `/api/account/sessions/${w.sessionId}`,
		prepare: async (baseURL, w) => {
			w.sessionId = (await call<{ session: { id: string } }>(baseURL, w.stranger, 'GET', '/api/auth/get-session')).body.session.id;
		},
		expect: [401, 404, 404, 404, 404]
	},
	// A picture: the person's own to set and remove; seen by them and by people who share a room with them.
	{ endpoint: 'PUT /api/account/avatar', path: () => '/api/account/avatar', body: () => PNG, expect: [401, 200, 200, 200, 200] },
	{ endpoint: 'DELETE /api/account/avatar', path: () => '/api/account/avatar', expect: [401, 204, 204, 204, 204] },
	{
		endpoint: 'GET /api/users/[id]/avatar',
		// The world's target: new in each world, so only the people of its room share one with them.
		path: (w) => `/api/users/${w.target.id}/avatar`,
		prepare: async (baseURL, w) => expect((await call(baseURL, w.target, 'PUT', '/api/account/avatar', PNG)).status).toBe(200),
		expect: [401, 404, 200, 200, 200]
	},
	// A group room's picture: its owners and admins set it; its members see it.
	{ endpoint: 'PUT /api/rooms/[id]/avatar', path: (w) => `/api/rooms/${w.roomId}/avatar`, body: () => PNG, expect: [401, 404, 403, 200, 200] },
	{ endpoint: 'DELETE /api/rooms/[id]/avatar', path: (w) => `/api/rooms/${w.roomId}/avatar`, expect: [401, 404, 403, 204, 204] },
	{
		endpoint: 'GET /api/rooms/[id]/avatar',
		path: (w) => `/api/rooms/${w.roomId}/avatar`,
		prepare: async (baseURL, w) => expect((await call(baseURL, w.owner, 'PUT', `/api/rooms/${w.roomId}/avatar`, PNG)).status).toBe(200),
		expect: [401, 404, 200, 200, 200]
	},
	{ endpoint: 'POST /api/rooms/[id]/ring/decline', path: (w) => `/api/rooms/${w.roomId}/ring/decline`, expect: [401, 404, 204, 204, 204] },
	// Instance administration: none of these callers is the instance's administrator (signups.spec.ts covers that one's 2xx).
	{ endpoint: 'GET /api/admin/status', path: () => '/api/admin/status', expect: [401, 403, 403, 403, 403] },
	{ endpoint: 'GET /api/admin/people', path: () => '/api/admin/people?q=a', expect: [401, 403, 403, 403, 403] },
	{ endpoint: 'PATCH /api/admin/people/[userId]', path: (w) => `/api/admin/people/${w.target.id}`, body: () => ({ disabled: true }), expect: [401, 403, 403, 403, 403] },
	{ endpoint: 'POST /api/admin/people/[userId]/reset-link', path: (w) => `/api/admin/people/${w.target.id}/reset-link`, expect: [401, 403, 403, 403, 403] },
	{ endpoint: 'GET /api/admin/rooms', path: () => '/api/admin/rooms', expect: [401, 403, 403, 403, 403] },
	{ endpoint: 'DELETE /api/admin/rooms/[id]', path: (w) => `/api/admin/rooms/${w.roomId}`, expect: [401, 403, 403, 403, 403] },
	{ endpoint: 'PUT /api/admin/settings', path: () => '/api/admin/settings', body: () => ({ signups: 'open' }), expect: [401, 403, 403, 403, 403] },
	{ endpoint: 'POST /api/admin/signup-links', path: () => '/api/admin/signup-links', expect: [401, 403, 403, 403, 403] },
	{ endpoint: 'GET /api/admin/audit', path: () => '/api/admin/audit', expect: [401, 403, 403, 403, 403] }
];

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The owner posts a 1×1 PNG to the room (as the composer does): the row's calls read it. */
async function postImage(baseURL: string, w: World): Promise<void> {
	const res = await fetch(`${baseURL}/api/rooms/${w.roomId}/files?name=dot.png`, { method: 'POST', headers: { origin: baseURL, cookie: w.owner.cookie }, body: PNG });
	expect(res.status).toBe(201);
	w.fileId = ((await res.json()) as { id: string }).id;
}

/** Endpoints served before SvelteKit (server/upload.ts streams uploads to disk), so without a +server.ts. */
const NODE_ENDPOINTS = ['POST /api/rooms/[id]/files'];

function fakeSubscription() {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	return { endpoint: `https://push.invalid/${randomBytes(8).toString('hex')}`, keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') } };
}

/** `METHOD /api/...` for every handler exported by a +server.ts under src/routes/api. */
function endpointsInCode(): string[] {
	const root = join(import.meta.dirname, '../../src/routes');
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.name === '+server.ts') {
				const route = '/' + relative(root, dir).split('/').filter((s) => !s.startsWith('(')).join('/');
				for (const [, method] of readFileSync(path, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) found.push(`${method} ${route}`);
			}
		}
	};
	walk(join(root, 'api'));
	return [...found, ...NODE_ENDPOINTS].sort();
}

test('every API endpoint has a row in the authorization table', () => {
	expect(TABLE.map((r) => r.endpoint).sort()).toEqual(endpointsInCode());
});

test.describe('authorization', () => {
	let people: Record<Exclude<Actor, 'signedOut'>, Person>;

	test.beforeAll(async ({ baseURL }) => {
		// The first account on a fresh server becomes its administrator: it is none of the callers below.
		await signUpPerson(baseURL!, 'First Account');
		const [nonMember, member, admin, owner] = await Promise.all(['Nora Outside', 'Mia Member', 'Ada Admin', 'Olga Owner'].map((n) => signUpPerson(baseURL!, n)));
		people = { nonMember, member, admin, owner };
	});

	/** A fresh room: owner, admin, member and a target member, plus an invite and a stranger to add. */
	async function world(baseURL: string): Promise<World> {
		const [target, stranger] = await Promise.all([signUpPerson(baseURL, 'Tim Target'), signUpPerson(baseURL, 'Sam Stranger')]);
		const { owner, admin, member } = people;
		const room = await call<{ id: string }>(baseURL, owner, 'POST', '/api/rooms', { name: 'Team', memberIds: [admin.id, member.id, target.id] });
		expect(room.status).toBe(201);
		// Being added is an invitation: each accepts.
		for (const who of [admin, member, target]) expect((await call(baseURL, who, 'POST', `/api/invitations/${room.body.id}`)).status).toBe(200);
		expect((await call(baseURL, owner, 'PATCH', `/api/rooms/${room.body.id}/members/${admin.id}`, { role: 'admin' })).status).toBe(200);
		const invite = await call<{ token: string }>(baseURL, owner, 'POST', `/api/rooms/${room.body.id}/invites`, {});
		expect(invite.status).toBe(201);
		return { roomId: room.body.id, token: invite.body.token, target, stranger, owner };
	}

	for (const row of TABLE) {
		test(row.endpoint, async ({ baseURL }) => {
			const got: Record<string, number> = {};
			const want: Record<string, number> = {};
			for (const [i, actor] of ACTORS.entries()) {
				const w = await world(baseURL!);
				const who = actor === 'signedOut' ? null : people[actor];
				const [method] = row.endpoint.split(' ');
				await row.prepare?.(baseURL!, w, who);
				const res = await call<{ error?: string }>(baseURL!, who, method, row.path(w), row.body?.(w));
				got[actor] = res.status;
				want[actor] = row.expect[i];
				if (res.status >= 400) expect(res.body?.error, `${actor}: a 4xx carries a readable error`).toEqual(expect.any(String));
			}
			expect(got).toEqual(want);
		});
	}
});
