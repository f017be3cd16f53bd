// `npm run bench -- <name>` runs bench/<name>.ts; each benchmark prints one JSON object as its last line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const available = readdirSync(dir)
	.filter((f) => f.endsWith('.ts') && f !== 'run.ts')
	.map((f) => f.slice(0, -3));
const name = process.argv[2];
if (!name || !existsSync(join(dir, `${name}.ts`))) {
	console.error(`Usage: npm run bench -- <name>   (one of: ${available.join(', ')})`);
	process.exit(2);
}
const run = spawnSync(process.execPath, [join(dir, `${name}.ts`), ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
