// A sync server in a process of its own, so that its CPU time and memory can be measured apart
// from the clients'. `node bench/support/sync-server.ts <parley|reference> <rooms> <per-room>`:
// creates the rooms and one user per client, sends a ServerInfo over IPC, then serves until SIGTERM.
//   parley     the real sync service (startSyncTestServer: auth, validation, SQLite before relay)
//   reference  @y/websocket-server's setupWSConnection: plain rooms, no auth, no persistence
// Setup goes over IPC rather than stdout because Parley's logger writes JSON lines to stdout.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import type { ServerInfo, ServerKind } from './sync-clients.ts';

const [kind, roomCount, perRoom] = [process.argv[2] as ServerKind, Number(process.argv[3]), Number(process.argv[4])];
if (!['parley', 'reference'].includes(kind) || !(roomCount > 0) || !(perRoom > 1)) {
	console.error('usage: node bench/support/sync-server.ts <parley|reference> <rooms> <per-room>');
	process.exit(2);
}

let stop: () => Promise<void>;
let info: ServerInfo;

if (kind === 'parley') {
	const { liveDocument, startSyncTestServer } = await import('../../sync/test-harness.ts');
	const { createRoomWithMembers } = await import('../../src/lib/server/rooms-fixture.ts');
	// warn, not error: refused updates and dropped awareness show up in the benchmark's stderr.
	// The per-person write limits are lifted: a benchmark client sends far faster than a person types.
	const server = await startSyncTestServer({ LOG_LEVEL: 'warn', SYNC_UPDATES_PER_MINUTE: '1000000', SYNC_BYTES_PER_MINUTE: String(1 << 30), SYNC_BYTES_PER_DAY: String(1 << 30) });
	const rooms: ServerInfo['rooms'] = [];
	for (let r = 0; r < roomCount; r++) {
		// Sign-ups hash passwords; a room's worth at a time keeps the event loop from drowning.
		const users = await Promise.all(Array.from({ length: perRoom }, (_, i) => server.signUp(`Room${r}User${i}`)));
		const id = createRoomWithMembers(server.parley.context.rooms, users[0].id, { name: `Bench ${r}`, memberIds: users.slice(1).map((u) => u.id) }).id;
		rooms.push({ id: liveDocument(id), users });
	}
	info = { kind, wsUrl: server.wsUrl, rooms };
	const dataDir = server.parley.context.config.dataDir;
	stop = async () => {
		await server.close();
		rmSync(dataDir, { recursive: true, force: true });
	};
} else {
	// The reference's own server.js uses its bundled ws 6; the same ws 8 as Parley's keeps the comparison to the sync layer.
	const { setupWSConnection } = await import('@y/websocket-server/utils');
	const wss = new WebSocketServer({ noServer: true });
	const http = createServer((_req, res) => res.writeHead(404).end());
	http.on('upgrade', (req, socket, head) => {
		const docName = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/sync\//, ''));
		wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const { port } = http.address() as { port: number };
	// Ids shaped like Parley's (no ':' or '|'), so the clients write the same message keys.
	const id = () => randomBytes(24).toString('base64url');
	const rooms = Array.from({ length: roomCount }, (_, r) => ({
		id: id(),
		users: Array.from({ length: perRoom }, (_, i) => ({ id: id(), name: `Room${r}User${i}`, cookie: '' }))
	}));
	info = { kind, wsUrl: `ws://127.0.0.1:${port}/sync`, rooms };
	stop = async () => {
		http.closeAllConnections();
		for (const ws of wss.clients) ws.terminate();
		await new Promise<void>((resolve) => http.close(() => resolve()));
	};
}

const shutdown = () =>
	stop().then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		}
	);
process.once('SIGTERM', shutdown);
// A benchmark that dies without stopping us must not leave a server (and its DATA_DIR) behind.
process.once('disconnect', shutdown);
process.send!(info);
