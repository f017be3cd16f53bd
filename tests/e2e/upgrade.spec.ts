import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { documentName } from '../../src/lib/core/chat/period.ts';
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

		// Its history, once in one document, is split by month at start: read from the months' documents.
		const db = new DatabaseSync(join(dataDir, 'parley.sqlite'), { readOnly: true });
		const periods = (db.prepare("select distinct period from sync_snapshot where roomId = ? and period != ''").all(room!.id) as { period: string }[]).map((r) => r.period);
		expect((db.prepare('select history from room where id = ?').get(room!.id) as { history: string }).history).toBe('monthly');
		db.close();
		expect(periods.length).toBeGreaterThan(0);
		const wsUrl = server.url.replace('http', 'ws') + '/sync';
		const months = periods.map((period) => connect(wsUrl, documentName(room!.id, period), ann));
		await waitFor(() => months.every((month) => month.provider.synced), 10_000, 'sync');
		expect(months.flatMap((month) => texts(month.doc)).sort()).toEqual(['Hello from the old days', 'Still here after the upgrade?', 'We shall see']);
		for (const month of months) month.provider.destroy();
		await server.stop();

		// Started again, there is nothing left to migrate.
		const again = await startServer({ DATA_DIR: dataDir });
		expect(again.output()).not.toContain('"db.migrated"');
		expect(again.output()).not.toContain('"sync.history_split"');
		await again.stop();
	});
}
