import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../server/free-port.ts';

export const TURNSERVER = '/usr/bin/turnserver';

/** A real coturn on loopback with coturn's use-auth-secret, as in deploy/turnserver.conf but local. */
export async function startCoturn(): Promise<{ url: string; secret: string; log: () => string; stop: () => void; process: ChildProcess }> {
	const dir = mkdtempSync(join(tmpdir(), 'parley-turn-'));
	const port = await freePort();
	const secret = randomBytes(24).toString('hex');
	const config = [
		'listening-ip=127.0.0.1',
		'relay-ip=127.0.0.1',
		`listening-port=${port}`,
		'use-auth-secret',
		`static-auth-secret=${secret}`,
		'realm=parley.test',
		'no-tls',
		'no-dtls',
		'no-cli',
		'allow-loopback-peers',
		'min-port=49200',
		'max-port=49299',
		`db=${join(dir, 'turndb')}`,
		`pidfile=${join(dir, 'turn.pid')}`,
		'log-file=stdout',
		'simple-log',
		'verbose'
	].join('\n');
	writeFileSync(join(dir, 'turnserver.conf'), config);
	const child = spawn(TURNSERVER, ['-c', join(dir, 'turnserver.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (c) => (output += c));
	child.stderr.on('data', (c) => (output += c));
	// Wait until it listens.
	for (let i = 0; i < 100 && !/Total General servers|listener opened on/i.test(output); i++) await new Promise((r) => setTimeout(r, 50));
	return { url: `turn:127.0.0.1:${port}?transport=udp`, secret, log: () => output, stop: () => child.kill('SIGTERM'), process: child };
}
