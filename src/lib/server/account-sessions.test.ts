import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountSessions } from './account-sessions.ts';
import { createAuth, type Auth } from './auth.ts';
import { migrate, readMigrations } from './db.ts';
import { Signups } from './signups.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/** A person's signed-in devices, on a real better-auth: listed without tokens, another one signed out. */
describe('AccountSessions', () => {
	let db: DatabaseSync;
	let auth: Auth;
	let sessions: AccountSessions;
	const signIn = async (email: string, userAgent: string) => {
		const res = await auth.api.signInEmail({ body: { email, password: 'long enough password' }, headers: new Headers({ 'user-agent': userAgent }), asResponse: true });
		const cookie = res.headers.getSetCookie()[0].split(';')[0];
		const session = (await auth.api.getSession({ headers: new Headers({ cookie }) }))!;
		return { cookie, headers: new Headers({ cookie, origin: 'http://localhost' }), id: session.session.id, userId: session.user.id };
	};

	beforeEach(async () => {
		db = new DatabaseSync(':memory:');
		migrate(db, readMigrations(join(import.meta.dirname, '../../../migrations')));
		auth = createAuth({ db, secret: 's'.repeat(40), config: { origin: 'http://localhost', signInRateLimit: 1000 }, signups: new Signups(db, 'open') });
		sessions = new AccountSessions({ db, auth });
		for (const name of ['ann', 'bob']) await auth.api.signUpEmail({ body: { name, email: `${name}@parley.test`, password: 'long enough password' } });
		db.exec('delete from session');
	});

	it('lists this device first, with browser and system, and never a token', async () => {
		const laptop = await signIn('ann@parley.test', FIREFOX);
		const phone = await signIn('ann@parley.test', SAFARI);
		await signIn('bob@parley.test', FIREFOX);
		const list = sessions.list(phone.userId, phone.id);
		expect(list.map(({ id, current, browser, os }) => ({ id, current, browser, os }))).toEqual([
			{ id: phone.id, current: true, browser: 'Safari', os: 'iOS' },
			{ id: laptop.id, current: false, browser: 'Firefox', os: 'Linux' }
		]);
		expect(JSON.stringify(list)).not.toMatch(/token/);
		expect(list[0].lastActiveAt).toBeGreaterThan(0);
	});

	it('signs another device out, and refuses this device, a session of someone else and one that is gone', async () => {
		const laptop = await signIn('ann@parley.test', FIREFOX);
		const phone = await signIn('ann@parley.test', SAFARI);
		const bob = await signIn('bob@parley.test', FIREFOX);

		await sessions.signOut(phone.userId, phone.id, laptop.id, phone.headers);
		expect(await auth.api.getSession({ headers: new Headers({ cookie: laptop.cookie }) })).toBeNull();
		expect(sessions.list(phone.userId, phone.id).map((d) => d.id)).toEqual([phone.id]);

		await expect(sessions.signOut(phone.userId, phone.id, phone.id, phone.headers)).rejects.toMatchObject({ status: 409 });
		await expect(sessions.signOut(phone.userId, phone.id, bob.id, phone.headers)).rejects.toMatchObject({ status: 404 });
		await expect(sessions.signOut(phone.userId, phone.id, laptop.id, phone.headers)).rejects.toMatchObject({ status: 404 });
		expect(await auth.api.getSession({ headers: new Headers({ cookie: bob.cookie }) })).not.toBeNull();
	});
});
