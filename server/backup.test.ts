import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { DB_FILE, openDatabase } from '../src/lib/server/db.ts';
import { BackupError, restoreBackup, writeBackup } from './backup.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'parley-backup-test-'));

/** A DATA_DIR as Parley leaves it while running: a WAL database held open, secrets, Janus' runtime folder, a folder of files. */
function dataDir() {
	const dir = temp();
	const db = openDatabase(join(dir, DB_FILE));
	db.exec('create table note (id integer primary key, text text); pragma user_version = 3');
	for (let i = 0; i < 100; i++) db.prepare('insert into note (text) values (?)').run(`note ${i}`);
	writeFileSync(join(dir, 'secrets.json'), '{"authSecret":"s"}\n', { mode: 0o600 });
	mkdirSync(join(dir, 'janus'));
	writeFileSync(join(dir, 'janus', 'janus.pid'), '123');
	mkdirSync(join(dir, 'attachments', 'ab'), { recursive: true });
	writeFileSync(join(dir, 'attachments', 'ab', 'photo.jpg'), Buffer.from([1, 2, 3]));
	return { dir, db };
}

const notes = (dir: string) => {
	const db = new DatabaseSync(join(dir, DB_FILE));
	const rows = db.prepare('select text from note order by id').all().map((r) => r.text);
	db.close();
	return rows;
};

describe('backup and restore', () => {
	it('carries the database, the secrets and every data folder, but not Janus’ runtime files', async () => {
		const { dir, db } = dataDir();
		const file = join(temp(), 'b.tar.gz');
		const manifest = await writeBackup(dir, file, '9.9.9');
		expect(manifest).toMatchObject({ parleyVersion: '9.9.9', schemaVersion: 3 });
		expect(statSync(file).mode & 0o777).toBe(0o600);
		// Written after the backup: not in it.
		db.prepare('insert into note (text) values (?)').run('later');
		const restored = join(temp(), 'data');
		await restoreBackup(file, restored);
		expect(notes(restored)).toEqual(Array.from({ length: 100 }, (_, i) => `note ${i}`));
		expect(readFileSync(join(restored, 'secrets.json'), 'utf8')).toBe('{"authSecret":"s"}\n');
		expect(statSync(join(restored, 'secrets.json')).mode & 0o777).toBe(0o600);
		expect([...readFileSync(join(restored, 'attachments', 'ab', 'photo.jpg'))]).toEqual([1, 2, 3]);
		expect(existsSync(join(restored, 'janus'))).toBe(false);
		expect(existsSync(join(restored, 'parley-backup.json'))).toBe(false);
		db.close();
	});

	it('backs up a database nobody has open', async () => {
		const { dir, db } = dataDir();
		db.close();
		const file = join(temp(), 'b.tar.gz');
		await writeBackup(dir, file, '1');
		const restored = join(temp(), 'data');
		await restoreBackup(file, restored);
		expect(notes(restored)).toHaveLength(100);
	});

	it('is one consistent moment while another connection keeps writing', async () => {
		const { dir, db } = dataDir();
		const writer = setInterval(() => db.exec("begin; insert into note (text) values ('a'); insert into note (text) values ('b'); commit"), 1);
		const file = join(temp(), 'b.tar.gz');
		await new Promise((r) => setTimeout(r, 30));
		await writeBackup(dir, file, '1');
		clearInterval(writer);
		const restored = join(temp(), 'data');
		await restoreBackup(file, restored);
		const rows = notes(restored);
		// Each transaction wrote a pair: a torn copy would end on an 'a'.
		expect(rows.length % 2).toBe(0);
		expect(rows.at(-1)).not.toBe('a');
		db.close();
	});

	it('refuses to restore into a folder that is not empty, and leaves it alone', async () => {
		const { dir } = dataDir();
		const file = join(temp(), 'b.tar.gz');
		await writeBackup(dir, file, '1');
		const busy = temp();
		writeFileSync(join(busy, 'keep.txt'), 'mine');
		await expect(restoreBackup(file, busy)).rejects.toThrow(/is not empty/);
		expect(readFileSync(join(busy, 'keep.txt'), 'utf8')).toBe('mine');
		// An empty folder that exists is fine.
		const empty = temp();
		await restoreBackup(file, empty);
		expect(notes(empty)).toHaveLength(100);
	});

	it('refuses a file that is not a Parley backup, and a DATA_DIR without a database', async () => {
		const junk = join(temp(), 'junk.tar.gz');
		writeFileSync(junk, 'not a tar file at all');
		const target = join(temp(), 'data');
		await expect(restoreBackup(junk, target)).rejects.toThrow(BackupError);
		expect(existsSync(target)).toBe(false);
		await expect(writeBackup(temp(), join(temp(), 'x.tar.gz'), '1')).rejects.toThrow(/No Parley database/);
		const { dir, db } = dataDir();
		await expect(writeBackup(dir, join(dir, 'inside.tar.gz'), '1')).rejects.toThrow(/outside DATA_DIR/);
		db.close();
	});
});
