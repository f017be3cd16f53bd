import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, it } from 'vitest';
import { createAuth } from './auth.ts';
import { Signups } from './signups.ts';
import { migrate, readMigrations } from './db.ts';
import { RoomEvents } from './events.ts';
import { Rooms } from './rooms.ts';

// better-auth's database calls are async; Parley's own transactions are synchronous on the same
// connection. If better-auth held a transaction open across an await, ours would land inside it
// ("cannot start a transaction within a transaction") — so it must not.
// Twenty password hashes: seconds on a busy two-core machine.
it('sign-ups running alongside room writes never nest transactions', { timeout: 30_000 }, async () => {
	const db = new DatabaseSync(':memory:');
	migrate(db, readMigrations(join(import.meta.dirname, '../../../migrations')));
	const auth = createAuth({ db, secret: 's'.repeat(40), config: { origin: 'http://localhost', signInRateLimit: 1000 }, signups: new Signups(db, 'open') });
	const rooms = new Rooms({ db, events: new RoomEvents(), memberLimit: 100, createPerHour: 100_000 });
	const first = await auth.api.signUpEmail({ body: { name: 'Owner', email: 'owner@parley.test', password: 'long enough password' } });
	const errors: unknown[] = [];
	let stop = false;
	const writer = (async () => {
		while (!stop) {
			try {
				rooms.create(first.user.id, { name: 'Busy' });
			} catch (error) {
				errors.push(error);
			}
			await new Promise((r) => setImmediate(r));
		}
	})();
	await Promise.all(
		Array.from({ length: 20 }, (_, i) => auth.api.signUpEmail({ body: { name: `P${i}`, email: `p${i}@parley.test`, password: 'long enough password' } }))
	);
	stop = true;
	await writer;
	expect(errors).toEqual([]);
});
