// Latency of create-room (POST /api/rooms) and list-my-rooms (GET /api/rooms) over loopback HTTP,
// one request at a time on a keep-alive connection, with 10,000 users and 1,000 rooms in the
// database and the benchmark user in 50 of them. p50 and p99 of SAMPLES each. Needs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { freePort } from '../server/free-port.ts';
import { mulberry32 } from './support/seeded.ts';

const ROOT = join(import.meta.dirname, '..');
const USERS = 10_000; // the benchmark user included
const ROOMS = 1_000;
const MY_ROOMS = 50;
const DIRECT_ROOMS = 100; // two-person rooms; the list names them after the other person, a query of its own
const MAX_MEMBERS = 30;
const WARMUP = 50;
const SAMPLES = Number(process.env.SAMPLES ?? 1000);
const DAY_MS = 24 * 60 * 60 * 1000;

type Server = { port: number; child: ChildProcess; exited: Promise<void> };

async function startServer(dataDir: string): Promise<Server> {
	const port = await freePort();
	const child = spawn(process.execPath, ['server/main.ts'], {
		cwd: ROOT,
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			DATA_DIR: dataDir,
			LOG_LEVEL: 'warn',
			// Defaults allow 30 rooms per person per hour and 10 sign-ups a minute; the benchmark needs more.
			ROOM_CREATE_RATE_LIMIT: '1000000',
			SIGNIN_RATE_LIMIT: '1000',
			SIGNUPS: 'open'
		},
		// Server logs go to our stderr, so that our stdout ends with the JSON line.
		stdio: ['ignore', 2, 2]
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const server = { port, child, exited };
	const started = performance.now();
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
		const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
		if (ok) return server;
		if (performance.now() - started > 30_000) {
			await stopServer(server);
			throw new Error('server did not answer /healthz within 30 s');
		}
		await new Promise((r) => setTimeout(r, 20));
	}
}

async function stopServer(server: Server): Promise<void> {
	if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
	await server.exited;
}

// node:http rather than fetch: less client overhead inside the timed span, and one socket reused throughout.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
type Answer = { status: number; headers: IncomingHttpHeaders; body: string };

function call(port: number, method: string, path: string, expected: number, options: { cookie?: string; json?: unknown } = {}): Promise<Answer> {
	const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
	const headers: Record<string, string | number> = {};
	if (options.cookie) headers.cookie = options.cookie;
	if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('error', reject);
			res.on('end', () => {
				const answer = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() };
				if (answer.status === expected) resolve(answer);
				else reject(new Error(`${method} ${path} answered ${answer.status}, expected ${expected}: ${answer.body}`));
			});
		});
		req.on('error', reject);
		req.end(payload);
	});
}


const FIRST = ['Ada', 'Bo', 'Chen', 'Dara', 'Emil', 'Fatima', 'Goran', 'Hana', 'Ivo', 'Jules', 'Kofi', 'Lena', 'Mateo', 'Nia', 'Oskar', 'Priya'];
const LAST = ['Novak', 'Okafor', 'Silva', 'Tanaka', 'Berg', 'Haddad', 'Kowalski', 'Moreau', 'Quinn', 'Rossi', 'Sato', 'Weber'];

/** Fills the migrated database in one transaction: users, rooms with 2–30 members, `me` in MY_ROOMS of them. */
function seed(file: string, me: string): void {
	const rand = mulberry32(42);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
	const now = Date.now();
	const db = new DatabaseSync(file);
	db.exec('begin');
	try {
		const addUser = db.prepare('insert into "user" (id, name, email, emailVerified, image, createdAt, updatedAt) values (?, ?, ?, 0, null, ?, ?)');
		const others: string[] = [];
		for (let i = 0; i < USERS - 1; i++) {
			const id = randomBytes(24).toString('base64url');
			const at = new Date(now - rand() * 365 * DAY_MS).toISOString();
			addUser.run(id, `${pick(FIRST)} ${pick(LAST)} ${i}`, `user${i}@example.org`, at, at);
			others.push(id);
		}

		const addRoom = db.prepare('insert into room (id, kind, name, createdBy, createdAt, lastActivityAt, directKey) values (?, ?, ?, ?, ?, ?, ?)');
		const addMember = db.prepare('insert into room_member (roomId, userId, role, joinedAt) values (?, ?, ?, ?)');
		const mine = new Set<number>();
		while (mine.size < MY_ROOMS) mine.add(Math.floor(rand() * ROOMS));
		for (let r = 0; r < ROOMS; r++) {
			const direct = r < DIRECT_ROOMS;
			const size = direct ? 2 : 2 + Math.floor(rand() * (MAX_MEMBERS - 1));
			const members = new Set<string>(mine.has(r) ? [me] : []);
			while (members.size < size) members.add(pick(others));
			const ids = [...members];
			// `me` owns about a third of its group rooms (the first member is the owner) and just belongs to the rest.
			if (mine.has(r) && !direct && r % 3 !== 0) ids.reverse();
			const id = randomBytes(16).toString('base64url');
			const createdAt = now - 30 * DAY_MS - rand() * 300 * DAY_MS;
			const lastActivityAt = now - rand() * 30 * DAY_MS;
			const directKey = direct ? [...ids].sort().join(' ') : null;
			addRoom.run(id, direct ? 'direct' : 'group', direct ? '' : `Room ${r}`, ids[0], createdAt, lastActivityAt, directKey);
			ids.forEach((userId, i) => {
				const role = direct ? 'member' : i === 0 ? 'owner' : i <= 2 && rand() < 0.3 ? 'admin' : 'member';
				addMember.run(id, userId, role, createdAt + i * 60_000);
			});
		}
		db.exec('commit');
	} catch (error) {
		db.exec('rollback');
		throw error;
	} finally {
		db.close();
	}
}

async function timed(n: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < n; i++) {
		const started = performance.now();
		await work(i);
		times.push(performance.now() - started);
	}
	return times;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * xs.length) - 1)];
const ms = (x: number) => Math.round(x * 10) / 10;

const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-rooms-'));
let server: Server | undefined;
try {
	// First start: migrations, secrets, and the benchmark user's account and session.
	server = await startServer(dataDir);
	const signUp = await call(server.port, 'POST', '/api/auth/sign-up/email', 200, {
		json: { name: 'Bench Mark', email: 'bench@example.org', password: 'benchmark-password' }
	});
	const cookie = (signUp.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('better-auth.session_token='));
	if (!cookie) throw new Error(`sign-up set no session cookie: ${JSON.stringify(signUp.headers)}`);
	const me = (JSON.parse(signUp.body) as { user: { id: string } }).user.id;
	await stopServer(server);
	server = undefined;

	const file = join(dataDir, 'parley.sqlite');
	seed(file, me);

	// Second start on the filled database; the session survives, as its secret is in DATA_DIR.
	server = await startServer(dataDir);
	const { port } = server;
	const list = () => call(port, 'GET', '/api/rooms', 200, { cookie });
	const myRooms = (JSON.parse((await list()).body) as { rooms: unknown[] }).rooms.length;
	if (myRooms !== MY_ROOMS) throw new Error(`the benchmark user sees ${myRooms} rooms, expected ${MY_ROOMS}`);

	// List first: every room created below joins the user's list and would grow it past MY_ROOMS.
	await timed(WARMUP, list);
	const listTimes = await timed(SAMPLES, list);
	const create = (i: number) => call(port, 'POST', '/api/rooms', 201, { cookie, json: { name: `Bench room ${i}` } });
	await timed(WARMUP, create);
	const createTimes = await timed(SAMPLES, create);

	const db = new DatabaseSync(file, { readOnly: true });
	const count = (table: string) => (db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
	const users = count('user');
	db.close();

	console.log(
		JSON.stringify({
			name: 'rooms',
			users,
			rooms: ROOMS,
			my_rooms: myRooms,
			samples: SAMPLES,
			create_p50_ms: ms(percentile(createTimes, 0.5)),
			create_p99_ms: ms(percentile(createTimes, 0.99)),
			list_p50_ms: ms(percentile(listTimes, 0.5)),
			list_p99_ms: ms(percentile(listTimes, 0.99))
		})
	);
} catch (error) {
	console.error(`bench rooms: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
} finally {
	agent.destroy();
	if (server) await stopServer(server);
	rmSync(dataDir, { recursive: true, force: true });
}
