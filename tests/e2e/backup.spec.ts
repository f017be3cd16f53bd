import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { MESSAGES } from '../../src/lib/core/chat/schema.ts';
import { connect, liveDocument, waitFor } from '../../sync/test-harness.ts';
import { createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { freshDataDir, startServer } from './support/server.ts';
import { syncWriter } from './support/sync-writer.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Runs `./parley <args>` with this DATA_DIR; resolves with its exit code and output. */
function parley(args: string[], dataDir: string): Promise<{ code: number | null; output: string }> {
	const child = spawn('bash', ['parley', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr.on('data', (c: Buffer) => (output += c.toString()));
	return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

test('a backup taken while people write holds every message acknowledged before it began, and restores into a fresh folder', async () => {
	test.setTimeout(90_000);
	const limits = { SYNC_UPDATES_PER_MINUTE: '100000', SYNC_BYTES_PER_MINUTE: '10000000', SYNC_BYTES_PER_DAY: '100000000' };
	const server = await startServer(limits);
	const people = await Promise.all(['Ann', 'Ben'].map((n) => signUpPerson(server.url, n)));
	const room = await createRoomWithMembers(server.url, people[0], 'Backed up', people.slice(1));
	const wsUrl = server.url.replace('http', 'ws') + '/sync';
	const writers = await Promise.all(people.map((p) => syncWriter(wsUrl, room.id, p)));

	let n = 0;
	const burst = setInterval(() => {
		for (const w of writers) w.write(`message ${n++}`);
	}, 5);
	await waitFor(() => writers.every((w) => w.acked.size > 20), 20_000, 'acknowledgements');
	const before = writers.flatMap((w) => [...w.acked]);
	const ackedBefore = writers.reduce((sum, w) => sum + w.acked.size, 0);
	const file = join(freshDataDir(), 'parley-backup.tar.gz');
	const backedUp = await parley(['backup', file], server.dataDir);
	const ackedDuring = writers.reduce((sum, w) => sum + w.acked.size, 0) - ackedBefore;
	clearInterval(burst);
	expect(backedUp.output).toContain('backup of');
	expect(backedUp.code).toBe(0);
	// The writing went on while the backup ran.
	expect(ackedDuring).toBeGreaterThan(0);
	for (const w of writers) w.close();
	await server.stop();

	const target = join(freshDataDir(), 'restored');
	const restored = await parley(['restore', file], target);
	expect(restored.code, restored.output).toBe(0);
	// A second restore into the now filled folder is refused, naming it.
	const again = await parley(['restore', file], target);
	expect(again.code).toBe(1);
	expect(again.output).toContain(`DATA_DIR ${target} is not empty`);

	// The restored secrets and sessions still let Ann in with the cookie she had.
	const fresh = await startServer({ DATA_DIR: target });
	const check = connect(fresh.url.replace('http', 'ws') + '/sync', liveDocument(room.id), { id: people[0].id, name: 'Ann', cookie: people[0].cookie });
	await waitFor(() => check.provider.synced, 10_000, 'sync after restore');
	const stored = new Set(check.doc.getMap(MESSAGES).keys());
	expect(before.length).toBeGreaterThan(40);
	expect(before.filter((key) => !stored.has(key))).toEqual([]);
	check.provider.destroy();
	await fresh.stop();
});
