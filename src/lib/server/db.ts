import { accessSync, constants, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';

export const DB_FILE = 'parley.sqlite';

export class StartupError extends Error {
	override name = 'StartupError';
}

/** Creates the data folder if needed and fails with a message naming it when it cannot be written. */
export function ensureWritableDir(dir: string): void {
	try {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		accessSync(dir, constants.W_OK | constants.R_OK);
	} catch (error) {
		const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
		throw new StartupError(
			`DATA_DIR ${dir} is not a writable folder (${reason}). Create it with write permission for this user, or set DATA_DIR to another folder.`
		);
	}
}

export function openDatabase(file: string): DatabaseSync {
	const db = new DatabaseSync(file, { timeout: 5000 });
	db.exec('pragma journal_mode = wal; pragma synchronous = normal; pragma foreign_keys = on;');
	return db;
}

/**
 * Runs `work` in one immediate (write-locking) transaction: all of it is stored, or none. Called
 * inside another transaction, `work` is part of that one (its failure undoes the whole).
 */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
	if (db.isTransaction) return work();
	const statements = transactionStatements(db);
	statements.begin.run();
	try {
		const result = work();
		statements.commit.run();
		return result;
	} catch (error) {
		statements.rollback.run();
		throw error;
	}
}

export type Migration = { version: number; name: string; sql: string };

/** Reads `NNNN_name.sql` files from a folder, in version order. */
export function readMigrations(dir: string): Migration[] {
	const migrations = readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.map((file) => {
			const match = /^(\d+)_([\w-]+)\.sql$/.exec(file);
			if (!match) throw new StartupError(`Migration file ${join(dir, file)} must be named NNNN_name.sql`);
			return { version: Number(match[1]), name: match[2], sql: readFileSync(join(dir, file), 'utf8') };
		})
		.sort((a, b) => a.version - b.version);
	migrations.forEach((m, i) => {
		if (m.version !== i + 1) throw new StartupError(`Migrations must be numbered 1, 2, 3… without gaps; found ${m.version} at position ${i + 1}`);
	});
	return migrations;
}

/**
 * Applies the migrations newer than the database's `user_version`, each in its own
 * transaction, so a crash leaves the database at the last complete migration.
 * Refuses a database written by a newer Parley.
 */
export function migrate(db: DatabaseSync, migrations: Migration[]): { from: number; to: number } {
	const current = Number((db.prepare('pragma user_version').get() as { user_version: number }).user_version);
	const latest = migrations.length;
	if (current > latest) {
		throw new StartupError(
			`The database is at schema version ${current}, but this version of Parley only knows up to ${latest}. It was written by a newer Parley: run that version, or restore a backup.`
		);
	}
	for (const m of migrations.slice(current)) {
		db.exec('begin immediate');
		try {
			db.exec(m.sql);
			db.exec(`pragma user_version = ${m.version}`);
			db.exec('commit');
		} catch (error) {
			db.exec('rollback');
			throw new StartupError(`Migration ${m.version}_${m.name} failed: ${(error as Error).message}`);
		}
	}
	return { from: current, to: latest };
}

const prepared = new WeakMap<DatabaseSync, { begin: StatementSync; commit: StatementSync; rollback: StatementSync }>();

/** BEGIN, COMMIT and ROLLBACK prepared once per connection (the sync service runs one transaction per turn). */
function transactionStatements(db: DatabaseSync) {
	let statements = prepared.get(db);
	if (!statements) {
		statements = { begin: db.prepare('begin immediate'), commit: db.prepare('commit'), rollback: db.prepare('rollback') };
		prepared.set(db, statements);
	}
	return statements;
}
