import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { texts } from '../../sync/test-messages.ts';
import { connect, waitFor } from '../../sync/test-harness.ts';
import type { RoomSummary } from '../../src/lib/rooms/types.ts';
import { freshDataDir, startServer } from './support/server.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const LATEST = readdirSync(join(import.meta.dirname, '../../migrations')).filter((f) => f.endsWith('.sql')).length;

/** Databases written by older releases (tests/fixtures/README.md says how each was made): data-<schema version>.sqlite. */
const fixtures = readdirSync(FIXTURES)
	.filter((f) => /^data-\d{4}\.sqlite$/.test(f))
	.map((file) => ({ file, version: Number(file.slice(5, 9)) }));

test('there are databases of older releases to upgrade from', () => {
	expect(fixtures.map((f) => f.version)).toEqual(expect.arrayContaining([4, 6]));
});

for (const { file, version } of fixtures) {
	test(`today's Parley starts on a schema ${version} database, migrates it if it is older, says so, and everything is there`, async () => {
		const dataDir = freshDataDir();
		copyFileSync(join(FIXTURES, file), join(dataDir, 'parley.sqlite'));
		const server = await startServer({ DATA_DIR: dataDir });
		const migrated = server.output().split('\n').find((line) => line.includes('"db.migrated"'));
		if (version < LATEST) expect(migrated).toContain(`migrated from ${version} to ${LATEST}`);
		else expect(migrated).toBeUndefined();

		// The old account signs in with its password; its room and messages are there.
		const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({ email: 'ann@old.parley.test', password: 'correct horse battery' })
		});
		expect(signIn.status).toBe(200);
		const cookie = signIn.headers.getSetCookie().find((c) => c.includes('session_token='))!.split(';')[0];
		const { user } = (await signIn.json()) as { user: { id: string; name: string } };
		expect(user.name).toBe('Ann Old');
		const ann = { id: user.id, name: user.name, cookie };
		const rooms = (await (await fetch(`${server.url}/api/rooms`, { headers: { cookie, origin: server.url } })).json()) as { rooms: RoomSummary[] };
		const room = rooms.rooms.find((r) => r.name === 'Old times');
		expect(room).toMatchObject({ kind: 'group', memberCount: 2 });

		const chat = connect(server.url.replace('http', 'ws') + '/sync', room!.id, ann);
		await waitFor(() => chat.provider.synced, 10_000, 'sync');
		expect(texts(chat.doc)).toEqual(['Hello from the old days', 'Still here after the upgrade?', 'We shall see']);
		chat.provider.destroy();
		await server.stop();

		// Started again, there is nothing left to migrate.
		const again = await startServer({ DATA_DIR: dataDir });
		expect(again.output()).not.toContain('"db.migrated"');
		await again.stop();
	});
}
