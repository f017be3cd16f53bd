// Time to the first 200 from /healthz:
//   cold_median_ms, warm_median_ms   `node server/main.ts`, fresh DATA_DIR (migrations, secret generation)
//                                    and the same DATA_DIR again; median of RUNS. Needs `npm run build` first.
//   parley_start_warm_ms             `./parley start` on this installed and built checkout (its checks included;
//                                    a build older than the sources is rebuilt first). PARLEY_START=0 leaves it out.
//   fresh_install_s                  `./parley start` in a fresh `git clone` of HEAD, npm cache warm: npm ci,
//                                    the build, the start. FRESH=0 leaves it out (it takes minutes).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../server/free-port.ts';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.RUNS ?? 5);
const FRESH = process.env.FRESH !== '0';
const PARLEY_START = process.env.PARLEY_START !== '0';

async function timeToHealthy(dataDir: string, command = [process.execPath, 'server/main.ts'], cwd = ROOT, timeoutMs = 30_000): Promise<number> {
	const port = await freePort();
	const started = performance.now();
	const child = spawn(command[0], command.slice(1), {
		cwd,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', SFU: 'off' },
		stdio: 'ignore',
		detached: true
	});
	try {
		for (;;) {
			if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}`);
			const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
			if (ok) return performance.now() - started;
			if (performance.now() - started > timeoutMs) throw new Error(`${command.join(' ')} did not answer /healthz within ${timeoutMs / 1000} s`);
			await new Promise((r) => setTimeout(r, 5));
		}
	} finally {
		// The whole group: ./parley start execs node, but npm or the build may still be running on a failure.
		process.kill(-child.pid!, 'SIGTERM');
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
const parleyStart = PARLEY_START ? await timeToHealthy(mkdtempSync(join(tmpdir(), 'parley-bench-')), ['./parley', 'start']) : undefined;

let freshInstallS: number | undefined;
if (FRESH) {
	const clone = mkdtempSync(join(tmpdir(), 'parley-bench-clone-'));
	execFileSync('git', ['clone', '--quiet', ROOT, clone]);
	try {
		freshInstallS = (await timeToHealthy(join(clone, 'data'), ['./parley', 'start'], clone, 15 * 60_000)) / 1000;
	} finally {
		rmSync(clone, { recursive: true, force: true });
	}
}
console.log(
	JSON.stringify({
		name: 'startup',
		runs: RUNS,
		cold_median_ms: Math.round(median(cold)),
		warm_median_ms: Math.round(median(warm)),
		...(parleyStart === undefined ? {} : { parley_start_warm_ms: Math.round(parleyStart) }),
		...(freshInstallS === undefined ? {} : { fresh_install_s: Math.round(freshInstallS) })
	})
);
