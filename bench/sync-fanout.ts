// Fan-out through the real sync service, and the same workload against the reference
// @y/websocket-server (no auth, no persistence): ROOMS rooms of PER_ROOM stock y-websocket clients,
// each its own user and a member of its room, each sending a message a second for DURATION_S
// seconds, first sends spread over the first second (seeded). Measured: send to seen by every other
// client of the room (p99 over all deliveries); errors (socket errors, closes, permission denied,
// lost messages); the server process's CPU time and peak RSS while messages flow (setup excluded
// from the CPU time; Parley's RSS still holds what 200 sign-ups left behind).
//
// Servers run in child processes, and each run's clients in a fresh process, so the second run
// inherits no JIT warm-up. All 200 clients share one process (one core of two): its CPU time and
// timer lateness go to stderr, to show when the client side rather than the server set the latency.
import { spawn } from 'node:child_process';
import type * as Y from 'yjs';
import {
	closeClients,
	machineCpuSeconds,
	newErrors,
	openClient,
	percentile,
	round,
	sendMessage,
	startServerProcess,
	waitFor,
	type ServerKind
} from './support/sync-clients.ts';
import { mulberry32 } from './support/seeded.ts';

const ROOMS = 20;
const PER_ROOM = 10;
const DURATION_S = Number(process.env.DURATION_S ?? 30);
const SEED = Number(process.env.SEED ?? 20261121);
const DRAIN_MS = 10_000;
const TEXT = 'On my way — the train is running a few minutes late, see you at the usual place.';

type RunResult = {
	kind: ServerKind;
	deliveries: number;
	expected: number;
	p50_ms: number;
	p99_ms: number;
	max_ms: number;
	errors: number;
	cpu_s: number;
	rss_bytes: number;
	client_cpu_s: number;
	/** CPU time other processes on the machine used during the run: more than a little makes the run noisy. */
	other_cpu_s: number;
	max_timer_lateness_ms: number;
};

/** One server, one workload; runs in a process of its own and prints its RunResult as the last line. */
async function runOnce(kind: ServerKind): Promise<RunResult> {
	const setupStarted = performance.now();
	// Every y-websocket provider adds a process 'exit' listener; 200 of them are expected here.
	process.setMaxListeners(ROOMS * PER_ROOM + 10);
	const server = await startServerProcess(kind, ROOMS, PER_ROOM);
	try {
		const errors = newErrors();
		const sentAt = new Map<string, number>();
		const latencies: number[] = [];
		// Latencies by the second they were sent in: shows whether the tail comes in bursts.
		const bySecond: number[][] = Array.from({ length: DURATION_S }, () => []);
		let start = Infinity;
		const clients = server.info.rooms.flatMap((room) => room.users.map((user) => openClient(server.info.wsUrl, room.id, user, errors)));
		for (const client of clients) {
			client.messages.observe((event: Y.YMapEvent<unknown>) => {
				if (event.transaction.local) return;
				const now = performance.now();
				for (const key of event.keysChanged) {
					const sent = sentAt.get(key);
					if (sent === undefined) continue;
					latencies.push(now - sent);
					bySecond[Math.floor((sent - start) / 1000)]?.push(now - sent);
				}
			});
		}
		await waitFor(() => clients.every((c) => c.provider.synced), 60_000, 'every client to sync');
		// Lets the burst of presence (awareness) from 200 joins pass before measuring.
		await new Promise((r) => setTimeout(r, 1000));
		console.error(`${kind}: ${clients.length} clients synced after ${Math.round(performance.now() - setupStarted)} ms of setup`);

		const rng = mulberry32(SEED);
		const offsets = clients.map(() => rng() * 1000);
		const cpuBefore = server.cpuSeconds();
		const clientCpuBefore = process.cpuUsage();
		const machineCpuBefore = machineCpuSeconds();
		let rssBytes = server.rssBytes();
		const sampler = setInterval(() => (rssBytes = Math.max(rssBytes, server.rssBytes())), 250);
		let lateness = 0;
		start = performance.now() + 20;
		// Absolute send times, so that timer drift does not thin the load; lateness shows a busy client process.
		await Promise.all(
			clients.map(
				(client, i) =>
					new Promise<void>((resolve) => {
						let k = 0;
						const tick = () => {
							const now = performance.now();
							lateness = Math.max(lateness, now - (start + offsets[i] + k * 1000));
							sentAt.set(sendMessage(client, TEXT), now);
							k += 1;
							if (k < DURATION_S) setTimeout(tick, start + offsets[i] + k * 1000 - performance.now());
							else resolve();
						};
						setTimeout(tick, start + offsets[i] - performance.now());
					})
			)
		);
		const expected = sentAt.size * (PER_ROOM - 1);
		await waitFor(() => latencies.length >= expected, DRAIN_MS, 'every message to reach every room member').catch((error: Error) => console.error(`${kind}: ${error.message}`));
		const cpuSeconds = server.cpuSeconds() - cpuBefore;
		const clientCpu = process.cpuUsage(clientCpuBefore);
		const machineCpu = machineCpuSeconds() - machineCpuBefore;
		clearInterval(sampler);
		closeClients(clients, errors);

		const worst = bySecond.map((xs, second) => ({ second, p99: xs.length ? percentile(xs, 0.99) : 0 })).sort((a, b) => b.p99 - a.p99);
		console.error(`${kind}: worst seconds by p99: ${worst.slice(0, 5).map((w) => `${w.second}s ${round(w.p99, 1)} ms`).join(', ')}`);
		const lost = Math.max(0, expected - latencies.length);
		const clientCpuSeconds = (clientCpu.user + clientCpu.system) / 1e6;
		for (const detail of errors.details) console.error(`${kind}: error: ${detail}`);
		for (const [what, count] of server.warnings()) console.error(`${kind}: server logged ${count} × ${what}`);
		return {
			kind,
			deliveries: latencies.length,
			expected,
			p50_ms: round(percentile(latencies, 0.5)),
			p99_ms: round(percentile(latencies, 0.99)),
			max_ms: round(Math.max(...latencies)),
			errors: errors.socketErrors + errors.closes + errors.denied + lost,
			cpu_s: round(cpuSeconds),
			rss_bytes: rssBytes,
			client_cpu_s: round(clientCpuSeconds),
			other_cpu_s: round(Math.max(0, machineCpu - cpuSeconds - clientCpuSeconds)),
			max_timer_lateness_ms: round(lateness)
		};
	} finally {
		await server.stop();
	}
}

/** Runs this file again as `--run <kind>`, in a fresh process, and reads its result line. */
function runInChild(kind: ServerKind): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [import.meta.filename, '--run', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
		let out = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
		child.on('error', reject);
		child.on('exit', (code) => {
			const last = out.trim().split('\n').at(-1) ?? '';
			if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as RunResult);
			else reject(new Error(`the ${kind} run failed (exit ${code})`));
		});
	});
}

try {
	if (process.argv[2] === '--run') {
		console.log(JSON.stringify(await runOnce(process.argv[3] as ServerKind)));
	} else {
		const parley = await runInChild('parley');
		console.error(`parley: ${JSON.stringify(parley)}`);
		const reference = await runInChild('reference');
		console.error(`reference: ${JSON.stringify(reference)}`);
		console.log(
			JSON.stringify({
				name: 'sync-fanout',
				clients: ROOMS * PER_ROOM,
				rooms: ROOMS,
				duration_s: DURATION_S,
				p99_ms: parley.p99_ms,
				reference_p99_ms: reference.p99_ms,
				ratio: round(parley.p99_ms / reference.p99_ms),
				errors: parley.errors,
				rss_bytes: parley.rss_bytes,
				cpu_s: parley.cpu_s,
				reference_rss_bytes: reference.rss_bytes,
				reference_cpu_s: reference.cpu_s,
				p50_ms: parley.p50_ms,
				reference_p50_ms: reference.p50_ms,
				reference_errors: reference.errors
			})
		);
		const noise = Math.max(parley.other_cpu_s, reference.other_cpu_s);
		if (noise > 2) console.error(`warning: other processes used up to ${noise} s of CPU during a run; the latencies are noisy`);
		if (parley.errors || reference.errors) process.exitCode = 1;
	}
} catch (error) {
	console.error(`bench sync-fanout: ${error instanceof Error ? error.stack : String(error)}`);
	process.exitCode = 1;
}
