// Send-to-seen latency of a chat message through the real sync service: two stock y-websocket
// clients (this process) in one room, the server in a child process, over loopback. A sends
// MESSAGES messages one at a time, each only once B has seen the previous one (closed loop: the
// figure is the path's latency, never queueing behind earlier messages), after WARMUP unmeasured ones.
import type * as Y from 'yjs';
import { closeClients, newErrors, openClient, percentile, round, sendMessage, startServerProcess, waitFor, type ServerProcess } from './support/sync-clients.ts';

const MESSAGES = Number(process.env.MESSAGES ?? 1000);
const WARMUP = 50;
const TIMEOUT_MS = 5000;
// About the length of a typical chat line.
const TEXT = 'On my way — the train is running a few minutes late, see you at the usual place.';

let server: ServerProcess | undefined;
try {
	server = await startServerProcess('parley', 1, 2);
	const { wsUrl, rooms } = server.info;
	const errors = newErrors();
	const [a, b] = rooms[0].users.map((user) => openClient(wsUrl, rooms[0].id, user, errors));
	await waitFor(() => a.provider.synced && b.provider.synced, 10_000, 'both clients to sync');

	// B notes the time a key arrives from the server, synchronously in its observer.
	let waitingFor: string | undefined;
	let seenAt = 0;
	let seen: (() => void) | undefined;
	b.messages.observe((event: Y.YMapEvent<unknown>) => {
		if (waitingFor !== undefined && event.keysChanged.has(waitingFor)) {
			seenAt = performance.now();
			seen?.();
		}
	});

	const times: number[] = [];
	let lost = 0;
	for (let i = 0; i < WARMUP + MESSAGES; i++) {
		const arrived = new Promise<boolean>((resolve) => {
			seen = () => resolve(true);
			setTimeout(() => resolve(false), TIMEOUT_MS).unref();
		});
		const sentAt = performance.now();
		waitingFor = sendMessage(a, TEXT);
		const ok = await arrived;
		waitingFor = undefined;
		if (i < WARMUP) continue;
		if (ok) times.push(seenAt - sentAt);
		else lost += 1;
		// Back to the event loop between messages, so each starts from an idle client and server.
		await new Promise((r) => setImmediate(r));
	}
	closeClients([a, b], errors);

	const errorCount = errors.socketErrors + errors.closes + errors.denied + lost;
	for (const detail of errors.details) console.error(`error: ${detail}`);
	for (const [what, count] of server.warnings()) console.error(`server logged ${count} × ${what}`);
	console.error(`${times.length} messages seen, ${lost} lost; max ${round(Math.max(...times))} ms`);
	console.log(
		JSON.stringify({
			name: 'chat-latency',
			messages: times.length,
			p50_ms: round(percentile(times, 0.5)),
			p99_ms: round(percentile(times, 0.99)),
			max_ms: round(Math.max(...times)),
			errors: errorCount
		})
	);
	if (errorCount) process.exitCode = 1;
} catch (error) {
	console.error(`bench chat-latency: ${error instanceof Error ? error.stack : String(error)}`);
	process.exitCode = 1;
} finally {
	await server?.stop();
}
