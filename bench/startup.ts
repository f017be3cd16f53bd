// Time from `node server/main.ts` to the first 200 from /healthz, cold (fresh DATA_DIR: migrations,
// secret generation) and warm (same DATA_DIR again), median of several runs. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../server/free-port.ts';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.RUNS ?? 5);

async function timeToHealthy(dataDir: string): Promise<number> {
	const port = await freePort();
	const started = performance.now();
	const child = spawn(process.execPath, ['server/main.ts'], {
		cwd: ROOT,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
		stdio: 'ignore'
	});
	try {
		for (;;) {
			if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
			const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
			if (ok) return performance.now() - started;
			if (performance.now() - started > 30_000) throw new Error('server did not answer /healthz within 30 s');
			await new Promise((r) => setTimeout(r, 5));
		}
	} finally {
		child.kill('SIGTERM');
		await new Promise((r) => child.once('exit', r));
	}
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < RUNS; i++) {
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
	cold.push(await timeToHealthy(dataDir));
	warm.push(await timeToHealthy(dataDir));
}
console.log(JSON.stringify({ name: 'startup', runs: RUNS, cold_median_ms: Math.round(median(cold)), warm_median_ms: Math.round(median(warm)) }));
