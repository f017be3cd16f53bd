import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs a small script that logs through logOutput in a process of its own, and returns its stdout. */
function run(script: string, env: Record<string, string> = {}) {
	const code = `import { logOutput } from ${JSON.stringify(join(import.meta.dirname, 'log.ts'))};\n${script}`;
	const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, ...env } });
	expect(result.stderr).toBe('');
	return result.stdout;
}

describe('logOutput', () => {
	it('holds lines until released, then writes them before the rest', () => {
		const out = run(`const logs = logOutput();
logs.write('{"event":"a"}');
process.stdout.write('plain\\n');
logs.release();
logs.write('{"event":"b"}');`);
		expect(out).toBe('plain\n{"event":"a"}\n{"event":"b"}\n');
	});

	it('writes what it still holds when the process ends early', () => {
		expect(run(`const logs = logOutput();\nlogs.write('{"event":"failed"}');\nprocess.exit(1);`)).toBe('{"event":"failed"}\n');
	});

	it('appends to a file instead of stdout', () => {
		const file = join(mkdtempSync(join(tmpdir(), 'parley-log-')), 'logs', 'parley.log');
		const script = `const logs = logOutput(${JSON.stringify(file)});\nlogs.release();\nlogs.write('{"event":"x"}');`;
		expect(run(script)).toBe('');
		run(script);
		expect(readFileSync(file, 'utf8')).toBe('{"event":"x"}\n{"event":"x"}\n');
	});
});
