// Malformed requests for the fuzz test: each generator turns a seeded Random into one request.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as encoding from 'lib0/encoding';
import type { Random } from './prng.ts';
import { requestBytes, upgradeHeaders, webSocketKey, wsFrame } from './raw-http.ts';

/** What the cases know about the server under test: real ids, so some requests get past the first check. */
export type Target = {
	port: number;
	roomId: string;
	inviteToken: string;
	otherUserId: string;
	/** `name=value` of a signed-in person's session cookie. */
	cookie: string;
};

/** `kind` names the service a signed-in socket case is aimed at. */
export type FuzzCase = { label: string; bytes: Buffer; afterUpgrade?: Buffer[]; reset?: boolean; kind?: string };

/** Strings that have broken parsers: bad percent-encodings, raw bytes that are not UTF-8 (latin1 chars go out as single bytes), absurd lengths. */
const SEGMENTS = [
	'%E0%A4%A', '%', '%zz', '%00', '%C0%AF', '%FF%FE', '%F0%9F%98', '%ED%A0%80', '%2F..%2F', '..', '%2e%2e', '%u0041', '%25E0%A4%A',
	'\u00e9\u00ff', '\u0080', 'a'.repeat(3000), '__proto__', 'constructor', "'; drop table room; --", '[]', 'null', '+', '~', '@:@', '%0d%0aX:%20y'
];
const QUERIES = [
	'', '?', '?&&&=', '?ack=1', '?ack=%E0%A4%A', '?%', '?%E0%A4%A=%E0%A4%A', '?q=%E0%A4%A', '?q=%', '?q=\u00ff', '?room=%', '?room=%E0%A4%A',
	'?next=%09', '?next=/%09/evil.example', '?next=%0d%0aSet-Cookie:%20x=1', '?next=//evil.example', '?next=%E0%A4%A',
	'?id=%zz&key=parley&token=x', '?key=&id=&id=&token=', '?x-sveltekit-invalidated=%E0', '?x-sveltekit-invalidated=01x1', '?/default', '?/%E0%A4%A',
	'?__proto__[admin]=1', `?a=${'b'.repeat(6000)}`, '?q=%00'
];
const HOSTS = (port: number) => [`127.0.0.1:${port}`, 'a:99999', '[::1', '', '%E0%A4%A', 'evil.example', 'a b', '\u00ff\u00fe', 'x'.repeat(300), 'localhost:0', '@:@', '[::1]:99999'];
const CONTENT_TYPES = [
	'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=',
	'application/json; charset=utf-16', 'application/jsonx', '', '\u00ff', 'application/json, text/plain', 'application/json; charset="'
];
const METHODS = ['GET', 'GET', 'POST', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'FOO'];

function cookies(target: Target): string[] {
	const name = target.cookie.split('=')[0];
	return [
		target.cookie, target.cookie, '', `${name}=%E0%A4%A`, `${name}=${'x'.repeat(4000)}`, `${target.cookie}; ${name}=garbage`, '=;;=;', 'a=\u00ff\u00fe',
		`${name}="unterminated`, `${target.cookie.replace(/.$/, '')}`, 'better-auth.session_data=%7B%22session%22', `${name}=${target.cookie.split('=')[1]}.%00`
	];
}

function bodies(target: Target, random: Random): string[] {
	return [
		'', '{', '{"name":', '[]', 'null', '0', '"x"', 'true', '{"name":{"$gt":""}}', '{"__proto__":{"admin":true},"name":"p"}', `{"name":"${'x'.repeat(200_000)}"}`,
		'['.repeat(20_000), '{"a":'.repeat(5000), random.bytes(64).toString('latin1'), 'a=%E0%A4%A&b&&=', '\ufeff{"name":"bom"}', '{"name":"\\ud800"}',
		JSON.stringify({ name: 'Fuzz room', memberIds: [target.otherUserId, '%E0%A4%A', ''] }), JSON.stringify({ userId: target.otherUserId }), JSON.stringify({ userId: ['x'] }),
		JSON.stringify({ role: 'owner' }), JSON.stringify({ role: 'god' }), JSON.stringify({ maxUses: -1, expiresInHours: 1e308 }), '{"maxUses":1e999}',
		JSON.stringify({ endpoint: 'https://127.0.0.1:1/x', keys: { p256dh: '%E0', auth: '\u0000' } }), JSON.stringify({ email: 'a@b.c', password: 'x', name: '' }),
		JSON.stringify({ email: '%E0%A4%A@\u00ff', password: 'x'.repeat(10_000) }), JSON.stringify({ name: '\u0000\u202e', image: 'javascript:alert(1)' })
	];
}

/** Every page and endpoint under src/routes, as a path with its [params] still in it. */
export function listRoutes(routesDir: string): string[] {
	const found = new Set<string>();
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (/^\+(server|page)(\.server)?\.(ts|js|svelte)$/.test(name)) {
				const route = relative(routesDir, dir).split('/').filter((s) => s && !/^\(.*\)$/.test(s));
				found.add('/' + route.join('/'));
			}
		}
	};
	walk(routesDir);
	return [...found].sort();
}

/** Paths outside src/routes that the server answers too: better-auth, the health check, the service worker, static files. */
export const EXTRA_PATHS = [
	'/healthz', '/sw.js', '/offline.html', '/manifest.webmanifest', '/favicon.ico', '/_app/immutable/%E0%A4%A', '/_app/version.json',
	'/api/auth/sign-in/email', '/api/auth/sign-up/email', '/api/auth/get-session', '/api/auth/update-user', '/api/auth/list-sessions',
	'/api/auth/error', '/api/auth/%E0%A4%A', '/api/auth/sign-in/social', '/api/auth/callback/%E0%A4%A', '/api/%E0%A4%A', '/__data.json', '/rooms/[id]/__data.json'
];

/** The route with its [params] filled: real ids, or (with a Random, half the time) a nasty segment. */
function fillParams(route: string, target: Target, random?: Random): string {
	return route.replace(/\[(\.\.\.)?(\w+)\]/g, (_all, _rest, name: string) => {
		if (random?.chance(0.5)) return random.pick(SEGMENTS);
		if (name === 'id') return target.roomId;
		if (name === 'token') return target.inviteToken;
		if (name === 'userId') return target.otherUserId;
		return 'x';
	});
}

/** Queries every route gets in the sweep: bad escapes and control characters where a path or an id is read. */
const SWEEP_QUERIES = ['?next=/%09/evil.example', '?next=/%E0%A4%A', '?next=/%0d%0aX:%20y', '?next=/%00', '?q=%E0%A4%A&room=%'];

/** Every route (real params) with every sweep query, signed in: the combinations random draws reach too rarely. */
export function sweepCases(routes: string[], target: Target): FuzzCase[] {
	return routes.flatMap((route) =>
		SWEEP_QUERIES.map((query) => {
			const url = fillParams(route, target) + query;
			const headers: [string, string][] = [['Host', `127.0.0.1:${target.port}`], ['Cookie', target.cookie], ['Connection', 'close']];
			return { label: `sweep GET ${url}`, bytes: requestBytes('GET', url, headers) };
		})
	);
}

const EXTRA_HEADERS: [string, string][] = [
	['Transfer-Encoding', 'chunked'], ['Content-Length', 'abc'], ['Expect', '100-continue'], ['X-Forwarded-For', '%E0%A4%A, \u00ff'],
	['X-Parley-Host', 'evil.example'], ['X-Parley-Proto', 'javascript:'], ['X-Big', 'a'.repeat(20_000)], ['X-Bin', '\u00ff\u00fe\u0080'],
	['Accept', 'text/html'], ['Accept', 'application/json'], ['x-sveltekit-action', 'true'], ['Range', 'bytes=99999999999-'], ['Range', 'bytes=-0,a-b'],
	['If-None-Match', '"\u00ff'], ['Accept-Encoding', 'gzip;q=abc, br;q=-1'], ['Accept-Language', '*;q=1e999'], ['Authorization', 'Bearer %E0%A4%A'],
	['Sec-Fetch-Site', 'cross-site'], ['Sec-Fetch-Mode', 'navigate'], ['Content-Encoding', 'gzip']
];

/** One HTTP request at a page or endpoint: odd method, params, query, host, cookie, content type, body and headers. */
export function httpCase(routes: string[], target: Target, random: Random): FuzzCase {
	const method = random.pick(METHODS);
	const path = fillParams(random.pick(routes), target, random) + (random.chance(0.15) ? '/' + random.pick(SEGMENTS) : '');
	const url = path + (random.chance(0.5) ? random.pick(QUERIES) : '');
	const host = random.chance(0.8) ? `127.0.0.1:${target.port}` : random.pick(HOSTS(target.port));
	const headers: [string, string][] = [];
	if (!random.chance(0.03)) headers.push(['Host', host]);
	if (random.chance(0.85)) headers.push(['Origin', random.chance(0.9) ? `http://127.0.0.1:${target.port}` : random.pick(['null', 'http://evil.example', '%E0', 'http://a:99999'])]);
	const cookie = random.pick(cookies(target));
	if (cookie) headers.push(['Cookie', cookie]);
	const body = method === 'GET' || method === 'HEAD' ? (random.chance(0.1) ? 'x' : '') : random.pick(bodies(target, random));
	const bodyBytes = Buffer.from(body, random.chance(0.8) ? 'utf8' : 'latin1');
	if (bodyBytes.length || random.chance(0.5)) headers.push(['Content-Type', random.pick(CONTENT_TYPES)]);
	headers.push(['Content-Length', String(bodyBytes.length)]);
	headers.push(['Connection', 'close']);
	for (let n = random.int(3); n > 0; n--) headers.push(random.pick(EXTRA_HEADERS));
	// Some requests are sent as HTTP/1.0, where Host is optional.
	const version = random.chance(0.05) ? 'HTTP/1.0' : 'HTTP/1.1';
	return { label: `HTTP ${method} ${url.slice(0, 200)} ${JSON.stringify(headers.map(([n, v]) => `${n}: ${v.slice(0, 80)}`))} body ${JSON.stringify(body.slice(0, 80))}`, bytes: requestBytes(method, url, headers, bodyBytes, version), reset: random.chance(0.05) };
}

const UPGRADE_PATHS = ['/sync/', '/sync', '/peerjs', '/peerjs/peerjs', '/sfu', '/sfu/', '//a:99999', '//a:99999/sync/x', 'http://a:99999/sync/x', '/', '/nowhere', '*', '/sync//', '/sync/%E0%A4%A', '/sync/%', '//[::1/sync/x', 'http://[::1/sync/x'];

/** One WebSocket upgrade at the router, mostly signed out: odd paths, hosts, keys, versions, protocols, extensions, cookies. */
export function upgradeCase(target: Target, random: Random): FuzzCase {
	let path = random.pick(UPGRADE_PATHS);
	if (path === '/sync/' && random.chance(0.5)) path += target.roomId;
	if (random.chance(0.6)) path += (path.endsWith('/') ? '' : '/') + random.pick(SEGMENTS);
	const url = path + (random.chance(0.5) ? random.pick(QUERIES) : '');
	let headers: [string, string][] = upgradeHeaders(random.chance(0.7) ? `127.0.0.1:${target.port}` : random.pick(HOSTS(target.port)));
	const mutations: (() => void)[] = [
		() => (headers = headers.filter(([n]) => n !== 'Sec-WebSocket-Key')),
		() => headers.push(['Sec-WebSocket-Key', webSocketKey()]),
		() => (headers = headers.map(([n, v]): [string, string] => (n === 'Sec-WebSocket-Key' ? [n, random.pick(['abc', '', 'a'.repeat(100), '\u00ff'.repeat(24)])] : [n, v]))),
		() => (headers = headers.map(([n, v]): [string, string] => (n === 'Sec-WebSocket-Version' ? [n, random.pick(['8', 'abc', '13, 13', ''])] : [n, v]))),
		() => (headers = headers.map(([n, v]): [string, string] => (n === 'Upgrade' ? [n, random.pick(['h2c', 'websocket, foo', 'WebSocket/2', '\u00ff'])] : [n, v]))),
		() => (headers = headers.filter(([n]) => n !== 'Host')),
		() => headers.push(['Host', random.pick(HOSTS(target.port))]),
		() => headers.push(['Sec-WebSocket-Protocol', random.pick(['janus-protocol', '\u00ff', ',', 'a,,b', 'x'.repeat(5000), 'janus-protocol, janus-protocol'])]),
		() => headers.push(['Sec-WebSocket-Extensions', random.pick(['permessage-deflate; client_max_window_bits=99', 'permessage-deflate; server_no_context_takeover=1', ';;;=', 'x-unknown'])]),
		() => headers.push(['Origin', random.pick(['http://evil.example', 'null', '%E0%A4%A', `http://127.0.0.1:${target.port}`])]),
		() => headers.push(['Cookie', random.pick(cookies(target))]),
		() => headers.push(random.pick(EXTRA_HEADERS))
	];
	for (let n = 1 + random.int(3); n > 0; n--) random.pick(mutations)();
	const afterUpgrade = random.chance(0.5) ? garbageFrames(random) : undefined;
	return { label: `upgrade GET ${url.slice(0, 200)} ${JSON.stringify(headers.map(([n, v]) => `${n}: ${v.slice(0, 80)}`))}`, bytes: requestBytes('GET', url, headers), afterUpgrade, reset: random.chance(0.1) };
}

function varUintMessage(...parts: (number | Uint8Array | string)[]): Buffer {
	const encoder = encoding.createEncoder();
	for (const part of parts) {
		if (typeof part === 'number') encoding.writeVarUint(encoder, part);
		else if (typeof part === 'string') encoding.writeVarString(encoder, part);
		else encoding.writeVarUint8Array(encoder, part);
	}
	return Buffer.from(encoding.toUint8Array(encoder));
}

/** Frames that are wrong at every layer: WebSocket framing, the y-websocket protocol, PeerJS JSON, Janus JSON. */
export function garbageFrames(random: Random): Buffer[] {
	const makers: (() => Buffer)[] = [
		() => wsFrame(2, random.bytes(1 + random.int(200))),
		() => wsFrame(2, varUintMessage(0, 0, random.bytes(random.int(40)))),
		() => wsFrame(2, varUintMessage(0, 2, random.bytes(random.int(60)))),
		() => wsFrame(2, varUintMessage(0, 1, random.bytes(random.int(60)))),
		() => wsFrame(2, Buffer.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f])),
		() => wsFrame(2, varUintMessage(1, varUintMessage(1, random.int(2 ** 30), 1, '{"user":{"id":"someone else"},"server":1}'))),
		() => wsFrame(2, varUintMessage(1, varUintMessage(3, 1, 1, '{', 2, 2, 'null', 3, 3, '\u0000'))),
		() => wsFrame(2, varUintMessage(1, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]))),
		() => wsFrame(2, Buffer.from([random.int(256), random.int(256)])),
		() => wsFrame(2, varUintMessage(3)),
		() => wsFrame(2, varUintMessage(2, 0, 'x')),
		() => wsFrame(1, Buffer.from(random.pick(['{', 'null', '[]', '"x"', '{"type":"OFFER","dst":"p0","payload":{}}', '{"type":"HEARTBEAT"}', '{"type":"CANDIDATE","dst":null}', '{"dst":{"a":1}}', '{"janus":"create","transaction":"t"}', '{"janus":"attach","plugin":"%E0"}']))),
		() => wsFrame(1, Buffer.from([0xff, 0xfe, 0xc0, 0xaf])),
		() => wsFrame(9, random.bytes(200)),
		() => wsFrame(8, Buffer.from([0x03, 0xe7])),
		() => wsFrame(8, Buffer.from([0x0f, 0xa0, 0xff, 0xfe])),
		() => wsFrame(8, Buffer.from([0x01])),
		() => wsFrame(random.pick([3, 4, 7, 0xb, 0xf]), random.bytes(10)),
		() => wsFrame(2, random.bytes(10), { rsv: 1 + random.int(7) }),
		() => wsFrame(2, random.bytes(10), { mask: false }),
		() => wsFrame(2, random.bytes(8), { claimedLength: 2n ** 63n - 1n }),
		() => wsFrame(0, random.bytes(10)),
		() => wsFrame(2, random.bytes(10), { fin: false }),
		() => random.bytes(1 + random.int(30))
	];
	return Array.from({ length: 1 + random.int(5) }, () => random.pick(makers)());
}
