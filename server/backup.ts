import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import * as tar from 'tar';
import { z } from 'zod';
import { DB_FILE } from '../src/lib/server/db.ts';
import { SECRETS_FILE } from '../src/lib/server/secrets.ts';

/**
 * A Parley backup is one gzipped tar file holding a DATA_DIR as it was at one moment:
 * `parley-backup.json` (this manifest), `parley.sqlite` (a snapshot taken with SQLite's online
 * backup API, so Parley may keep writing), and every other file and folder of DATA_DIR under
 * its own name (`secrets.json` today; a folder of attachments the same way when there is one).
 */
export const MANIFEST_FILE = 'parley-backup.json';
const FORMAT = 'parley-backup';

/** Left out: the live database's own files (the snapshot stands for them) and Janus' generated config and pid, remade at each start. */
const NOT_BACKED_UP = new Set([DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, `${DB_FILE}-journal`, 'janus']);

const manifestSchema = z.object({
	format: z.literal(FORMAT),
	formatVersion: z.literal(1),
	parleyVersion: z.string(),
	schemaVersion: z.number().int(),
	createdAt: z.string(),
	files: z.array(z.string())
});
export type Manifest = z.infer<typeof manifestSchema>;

export class BackupError extends Error {
	override name = 'BackupError';
}

/** Every page in one step: the copy is one read transaction, so writes from the running server neither tear it nor restart it. */
const ALL_PAGES = 2 ** 31 - 1;

/** Writes a backup of `dataDir` to `file` (mode 600: it holds the secrets); safe while Parley runs. */
export async function writeBackup(dataDir: string, file: string, parleyVersion: string): Promise<Manifest> {
	const dbFile = join(dataDir, DB_FILE);
	if (!existsSync(dbFile)) throw new BackupError(`No Parley database at ${dbFile}. Is DATA_DIR set to the folder Parley runs with?`);
	const target = resolve(file);
	if (!relative(resolve(dataDir), target).startsWith('..')) throw new BackupError(`Write the backup outside DATA_DIR (${resolve(dataDir)}), e.g. ./parley backup /backups/parley.tar.gz.`);
	const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.`));
	try {
		const source = new DatabaseSync(dbFile, { readOnly: true, timeout: 5000 });
		try {
			await backup(source, join(staging, DB_FILE), { rate: ALL_PAGES });
		} finally {
			source.close();
		}
		const copy = new DatabaseSync(join(staging, DB_FILE));
		const schemaVersion = Number((copy.prepare('pragma user_version').get() as { user_version: number }).user_version);
		copy.exec('pragma journal_mode = delete');
		copy.close();
		// Copied, not archived in place: a file being replaced while tar reads it would be torn.
		const files = readdirSync(dataDir).filter((name) => !NOT_BACKED_UP.has(name));
		for (const name of files) cpSync(join(dataDir, name), join(staging, name), { recursive: true });
		const manifest: Manifest = { format: FORMAT, formatVersion: 1, parleyVersion, schemaVersion, createdAt: new Date().toISOString(), files: [DB_FILE, ...files] };
		writeFileSync(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, '\t') + '\n');
		const partial = join(staging, '..', `.${basename(target)}.partial`);
		await tar.create({ gzip: true, file: partial, cwd: staging, portable: true }, [MANIFEST_FILE, ...manifest.files]);
		chmodSync(partial, 0o600);
		renameSync(partial, target);
		return manifest;
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}

/**
 * Restores a backup into `dataDir`, which must be empty or absent: nothing is ever overwritten.
 * It is unpacked beside it and moved into place only once complete and checked.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<Manifest> {
	const target = resolve(dataDir);
	if (!existsSync(file)) throw new BackupError(`No backup file at ${resolve(file)}.`);
	if (existsSync(target) && readdirSync(target).length > 0) {
		throw new BackupError(`DATA_DIR ${target} is not empty. Restore only into an empty or new folder: move this one aside, or set DATA_DIR to a new folder.`);
	}
	mkdirSync(dirname(target), { recursive: true });
	const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.restoring.`));
	try {
		await tar
			.extract({
				file,
				cwd: staging,
				strict: true,
				// Plain files and folders only: a link in the archive could point outside DATA_DIR.
				filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory')
			})
			.catch((error: Error) => {
				throw new BackupError(`${resolve(file)} is not a readable Parley backup (${error.message}).`);
			});
		const manifest = readManifest(join(staging, MANIFEST_FILE), file);
		for (const name of manifest.files) {
			if (!existsSync(join(staging, name))) throw new BackupError(`${resolve(file)} is incomplete: ${name} is missing.`);
		}
		const db = new DatabaseSync(join(staging, DB_FILE));
		const check = (db.prepare('pragma quick_check').get() as { quick_check: string }).quick_check;
		db.close();
		if (check !== 'ok') throw new BackupError(`The database in ${resolve(file)} is damaged (${check}).`);
		rmSync(join(staging, MANIFEST_FILE));
		if (existsSync(join(staging, SECRETS_FILE))) chmodSync(join(staging, SECRETS_FILE), 0o600);
		chmodSync(staging, 0o700);
		if (existsSync(target)) rmdirSync(target);
		renameSync(staging, target);
		return manifest;
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}

function readManifest(path: string, file: string): Manifest {
	let parsed: ReturnType<typeof manifestSchema.safeParse> | undefined;
	try {
		if (statSync(path).isFile()) parsed = manifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
	} catch {
		// Absent or not JSON: not a backup, said below.
	}
	if (!parsed?.success) throw new BackupError(`${resolve(file)} is not a Parley backup (no valid ${MANIFEST_FILE} in it).`);
	return parsed.data;
}
