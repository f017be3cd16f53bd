import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from './auth.ts';
import { Signups } from './signups.ts';
import { migrate, readMigrations } from './db.ts';

/** Every path through better-auth that writes a name keeps to the sign-up rules (a real better-auth on SQLite). */
describe('names written through better-auth', () => {
	let db: DatabaseSync;
	let auth: Auth;
	let cookie: string;
	let userId: string;
	const nameOf = () => (db.prepare('select name from user where id = ?').get(userId) as { name: string }).name;
	const updateUser = (body: unknown) =>
		auth.handler(
			new Request('http://localhost/api/auth/update-user', {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: 'http://localhost', cookie },
				body: JSON.stringify(body)
			})
		);

	beforeEach(async () => {
		db = new DatabaseSync(':memory:');
		migrate(db, readMigrations(join(import.meta.dirname, '../../../migrations')));
		auth = createAuth({ db, secret: 's'.repeat(40), config: { origin: 'http://localhost', signInRateLimit: 1000 }, signups: new Signups(db, 'open') });
		const res = await auth.api.signUpEmail({ body: { name: 'Ann', email: 'ann@parley.test', password: 'long enough password' }, asResponse: true });
		cookie = res.headers.getSetCookie()[0].split(';')[0];
		userId = ((await res.json()) as { user: { id: string } }).user.id;
	});

	it.each([
		['a 900,000-character name', 'x'.repeat(900_000), /at most 80 characters/],
		['an empty name', '', /Enter your name/],
		['a blank name', '   ', /Enter your name/],
		['a name with a tab', 'Ann\tB', /control characters/],
		['a name that is not text', 42, /Enter your name/]
	])('update-user refuses %s with a 400 and keeps the name', async (_what, name, message) => {
		const res = await updateUser({ name });
		expect(res.status).toBe(400);
		expect(((await res.json()) as { message: string }).message).toMatch(message);
		expect(nameOf()).toBe('Ann');
	});

	it('update-user takes a good name, trimmed', async () => {
		expect((await updateUser({ name: '  Ann Smith ' })).status).toBe(200);
		expect(nameOf()).toBe('Ann Smith');
	});

	it('sign-up through the server API (which skips the request check) refuses a bad name too', async () => {
		await expect(auth.api.signUpEmail({ body: { name: 'y'.repeat(81), email: 'long@parley.test', password: 'long enough password' } })).rejects.toMatchObject({ status: 'BAD_REQUEST' });
		expect(db.prepare('select count(*) as n from user').get()).toEqual({ n: 1 });
	});
});
