import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from './db.ts';
import { decideSignup, Signups } from './signups.ts';

const MIGRATIONS = readMigrations(join(import.meta.dirname, '../../../migrations'));
const HOUR = 3600_000;

describe('decideSignup', () => {
	it('lets the first account in whatever the mode', () => {
		for (const mode of ['open', 'invite', 'closed'] as const) expect(decideSignup({ mode, accounts: 0, token: 'none' })).toEqual({ allowed: true, via: 'first' });
	});

	it('open: anyone, with or without a link', () => {
		expect(decideSignup({ mode: 'open', accounts: 3, token: 'none' })).toEqual({ allowed: true, via: 'open' });
		expect(decideSignup({ mode: 'open', accounts: 3, token: 'unusable' })).toEqual({ allowed: true, via: 'open' });
	});

	it('invite: a usable room invite or admin link; otherwise refused with the reason', () => {
		expect(decideSignup({ mode: 'invite', accounts: 3, token: 'none' })).toEqual({ allowed: false, reason: 'invite-needed' });
		expect(decideSignup({ mode: 'invite', accounts: 3, token: 'invite' })).toEqual({ allowed: true, via: 'invite' });
		expect(decideSignup({ mode: 'invite', accounts: 3, token: 'unusable' })).toEqual({ allowed: false, reason: 'link-unusable' });
		expect(decideSignup({ mode: 'invite', accounts: 3, token: 'admin-link', tokenValue: 't' })).toEqual({ allowed: true, via: 'admin-link', linkToken: 't' });
	});

	it('closed: only an admin sign-up link; a room invite is not enough', () => {
		expect(decideSignup({ mode: 'closed', accounts: 3, token: 'none' })).toEqual({ allowed: false, reason: 'closed' });
		expect(decideSignup({ mode: 'closed', accounts: 3, token: 'invite' })).toEqual({ allowed: false, reason: 'closed' });
		expect(decideSignup({ mode: 'closed', accounts: 3, token: 'unusable' })).toEqual({ allowed: false, reason: 'link-unusable' });
		expect(decideSignup({ mode: 'closed', accounts: 3, token: 'admin-link', tokenValue: 't' })).toEqual({ allowed: true, via: 'admin-link', linkToken: 't' });
	});
});

describe('Signups', () => {
	let db: DatabaseSync;
	let clock: number;
	let signups: Signups;
	let created = 0;

	function addUser(id: string) {
		db.prepare('insert into user (id, name, email, emailVerified, createdAt, updatedAt) values (?, ?, ?, 0, ?, 0)').run(id, id, `${id}@parley.test`, ++created);
		return id;
	}

	beforeEach(() => {
		db = new DatabaseSync(':memory:');
		db.exec('pragma foreign_keys = on');
		migrate(db, MIGRATIONS);
		clock = 1_000_000;
		signups = new Signups(db, 'invite', () => clock);
	});

	it('makes the first account the administrator, and no later one', () => {
		expect(signups.decide(null)).toEqual({ allowed: true, via: 'first' });
		signups.created(addUser('ada'), undefined);
		signups.created(addUser('bob'), undefined);
		expect(signups.isAdmin('ada')).toBe(true);
		expect(signups.isAdmin('bob')).toBe(false);
		expect(signups.decide(null)).toEqual({ allowed: false, reason: 'invite-needed' });
	});

	it('an admin-chosen mode overrides the default until cleared', () => {
		addUser('ada');
		expect(signups.mode()).toEqual({ mode: 'invite', stored: false, defaultMode: 'invite' });
		signups.setMode('open', 'ada');
		expect(signups.mode()).toEqual({ mode: 'open', stored: true, defaultMode: 'invite' });
		expect(signups.decide(null)).toEqual({ allowed: true, via: 'open' });
		signups.setMode(null, 'ada');
		expect(signups.mode().mode).toBe('invite');
	});

	it('a room invite lets a person in while it is usable', () => {
		addUser('ada');
		db.prepare(`insert into room (id, kind, name, createdBy, createdAt, lastActivityAt) values ('r', 'group', 'R', 'ada', 0, 0)`).run();
		db.prepare(`insert into room_invite (token, roomId, createdBy, createdAt, expiresAt, maxUses, useCount) values ('inv', 'r', 'ada', 0, ?, 1, 0)`).run(clock + HOUR);
		expect(signups.decide('inv')).toEqual({ allowed: true, via: 'invite' });
		db.prepare(`update room_invite set useCount = 1`).run();
		expect(signups.decide('inv')).toEqual({ allowed: false, reason: 'link-unusable' });
		expect(signups.decide('no-such-token')).toEqual({ allowed: false, reason: 'link-unusable' });
	});

	it('an admin sign-up link works once, and not after it expires', () => {
		signups.created(addUser('ada'), undefined);
		signups.setMode('closed', 'ada');
		const link = signups.createLink('ada');
		expect(signups.links().map((l) => l.token)).toEqual([link.token]);
		expect(signups.decide(link.token)).toEqual({ allowed: true, via: 'admin-link', linkToken: link.token });
		signups.created(addUser('bob'), link.token);
		expect(signups.decide(link.token)).toEqual({ allowed: false, reason: 'link-unusable' });
		expect(signups.links()).toEqual([]);
		const late = signups.createLink('ada', 1);
		clock += 2 * HOUR;
		expect(signups.decide(late.token)).toEqual({ allowed: false, reason: 'link-unusable' });
	});

	it('a disabled administrator is not an administrator', () => {
		signups.created(addUser('ada'), undefined);
		db.prepare('update user set disabledAt = 1 where id = ?').run('ada');
		expect(signups.isDisabled('ada')).toBe(true);
		expect(signups.isAdmin('ada')).toBe(false);
		expect(signups.isDisabled('nobody')).toBe(false);
	});
});
