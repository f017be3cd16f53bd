import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { getMigrations } from 'better-auth/db/migration';
import { describe, expect, it } from 'vitest';
import { createAuth } from './auth.ts';
import { Signups } from './signups.ts';
import { ensureWritableDir, migrate, readMigrations, StartupError, type Migration } from './db.ts';

const MIGRATIONS_DIR = join(import.meta.dirname, '../../../migrations');
const version = (db: DatabaseSync) => (db.prepare('pragma user_version').get() as { user_version: number }).user_version;
const tables = (db: DatabaseSync) =>
	(db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);

const sample: Migration[] = [
	{ version: 1, name: 'one', sql: 'create table a (x int);' },
	{ version: 2, name: 'two', sql: 'create table b (y int);' }
];

describe('migrate', () => {
	it('applies every migration once and is idempotent', () => {
		const db = new DatabaseSync(':memory:');
		expect(migrate(db, sample)).toEqual({ from: 0, to: 2 });
		expect(tables(db)).toEqual(['a', 'b']);
		expect(migrate(db, sample)).toEqual({ from: 2, to: 2 });
		expect(version(db)).toBe(2);
	});

	it('applies only the newer migrations to an older database', () => {
		const db = new DatabaseSync(':memory:');
		migrate(db, sample.slice(0, 1));
		expect(migrate(db, sample)).toEqual({ from: 1, to: 2 });
	});

	it('refuses a database written by a newer Parley, with a clear message', () => {
		const db = new DatabaseSync(':memory:');
		migrate(db, sample);
		expect(() => migrate(db, sample.slice(0, 1))).toThrow(/schema version 2, but this version of Parley only knows up to 1/);
	});

	it('rolls back a failing migration and keeps the earlier ones', () => {
		const db = new DatabaseSync(':memory:');
		const broken = [...sample, { version: 3, name: 'broken', sql: 'create table c (z int); create table a (x int);' }];
		expect(() => migrate(db, broken)).toThrow(/Migration 3_broken failed/);
		expect(version(db)).toBe(2);
		expect(tables(db)).toEqual(['a', 'b']);
	});
});

describe('readMigrations', () => {
	it('reads the project migrations in order', () => {
		const migrations = readMigrations(MIGRATIONS_DIR);
		expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
	});

	it('rejects gaps and badly named files', () => {
		const dir = mkdtempSync(join(tmpdir(), 'parley-mig-'));
		writeFileSync(join(dir, '0001_a.sql'), '');
		writeFileSync(join(dir, '0003_c.sql'), '');
		expect(() => readMigrations(dir)).toThrow(/without gaps/);
		const dir2 = mkdtempSync(join(tmpdir(), 'parley-mig-'));
		writeFileSync(join(dir2, 'first.sql'), '');
		expect(() => readMigrations(dir2)).toThrow(/NNNN_name.sql/);
	});
});

describe('the accounts schema', () => {
	it('is everything better-auth needs', async () => {
		const db = new DatabaseSync(':memory:');
		migrate(db, readMigrations(MIGRATIONS_DIR));
		const auth = createAuth({ db, secret: 's'.repeat(40), config: { origin: 'http://localhost', signInRateLimit: 10 }, signups: new Signups(db, 'open') });
		const { toBeCreated, toBeAdded } = await getMigrations(auth.options);
		expect(toBeCreated).toEqual([]);
		expect(toBeAdded).toEqual([]);
	});
});

describe('ensureWritableDir', () => {
	it('creates a missing folder', () => {
		const dir = join(mkdtempSync(join(tmpdir(), 'parley-data-')), 'nested', 'data');
		expect(() => ensureWritableDir(dir)).not.toThrow();
	});

	it.skipIf(process.getuid?.() === 0)('names a folder it cannot write', () => {
		const dir = mkdtempSync(join(tmpdir(), 'parley-ro-'));
		chmodSync(dir, 0o500);
		expect(() => ensureWritableDir(dir)).toThrow(StartupError);
	});

	it('names a path that is a file, not a folder', () => {
		const base = mkdtempSync(join(tmpdir(), 'parley-file-'));
		const file = join(base, 'data');
		writeFileSync(file, '');
		expect(() => ensureWritableDir(join(file, 'sub'))).toThrow(new RegExp(`DATA_DIR ${join(file, 'sub')} is not a writable folder`));
		mkdirSync(join(base, 'ok'));
	});
});
