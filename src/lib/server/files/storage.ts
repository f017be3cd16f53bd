import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a put stored: the sha256 of the bytes (hex) and their count. */
export type Stored = { hash: string; size: number };

/**
 * Where file bytes live, addressed by their sha256. The filesystem backend below is the one
 * Parley ships; an S3-compatible one implements the same four calls, and nothing else changes.
 */
export interface FileStorage {
	/** Streams `source` in; fails with a TooLarge error (storing nothing) past `maxBytes`. */
	put(source: Readable, options?: { maxBytes?: number }): Promise<Stored>;
	/**
	 * Takes in a local file whose hash and size the caller measured as it wrote it (the file is
	 * consumed). The filesystem backend moves it into place, so that an upload is not copied again.
	 */
	putFile(path: string, stored: Stored): Promise<void>;
	/** The bytes, or undefined when nothing is stored under `hash`. */
	get(hash: string): Promise<Readable | undefined>;
	delete(hash: string): Promise<void>;
	exists(hash: string): Promise<boolean>;
	/** Removes what puts begun before `before` (ms since 1970) left half-written: called at server start. */
	discardPartial(before: number): Promise<void>;
}

export class TooLarge extends Error {
	override name = 'TooLarge';
	readonly limit: number;
	constructor(limit: number) {
		super(`more than ${limit} bytes`);
		this.limit = limit;
	}
}

const HASH = /^[0-9a-f]{64}$/;

/** Counts and hashes what passes through; errors with TooLarge past `maxBytes`. */
export function meter(maxBytes = Infinity) {
	const hash = createHash('sha256');
	let size = 0;
	const transform = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			size += chunk.length;
			if (size > maxBytes) return done(new TooLarge(maxBytes));
			hash.update(chunk);
			done(null, chunk);
		}
	});
	return { transform, result: (): Stored => ({ hash: hash.digest('hex'), size }) };
}

/** Files under `root/ab/cdef…` (the first two hex digits as a folder), written through `root/tmp`. */
export class FsStorage implements FileStorage {
	readonly root: string;
	constructor(root: string) {
		this.root = root;
	}

	#path(hash: string): string {
		if (!HASH.test(hash)) throw new Error(`not a sha256 hash: ${hash}`);
		return join(this.root, hash.slice(0, 2), hash.slice(2));
	}

	get #tmp(): string {
		return join(this.root, 'tmp');
	}

	async put(source: Readable, options: { maxBytes?: number } = {}): Promise<Stored> {
		const tmpDir = this.#tmp;
		await mkdir(tmpDir, { recursive: true, mode: 0o700 });
		const temp = join(tmpDir, randomUUID());
		const { transform, result } = meter(options.maxBytes);
		try {
			await pipeline(source, transform, createWriteStream(temp, { mode: 0o600 }));
			const stored = result();
			const target = this.#path(stored.hash);
			await mkdir(join(this.root, stored.hash.slice(0, 2)), { recursive: true, mode: 0o700 });
			await rename(temp, target);
			return stored;
		} finally {
			await rm(temp, { force: true });
		}
	}

	async putFile(path: string, stored: Stored): Promise<void> {
		const target = this.#path(stored.hash);
		await mkdir(join(this.root, stored.hash.slice(0, 2)), { recursive: true, mode: 0o700 });
		try {
			await rename(path, target);
		} catch (error) {
			// On another filesystem than the storage: copied (and hashed again) instead.
			if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
			const copied = await this.put(createReadStream(path));
			if (copied.hash !== stored.hash) throw new Error(`${path} changed while it was stored`, { cause: error });
			await rm(path, { force: true });
		}
	}

	async get(hash: string): Promise<Readable | undefined> {
		if (!(await this.exists(hash))) return undefined;
		return createReadStream(this.#path(hash));
	}

	async delete(hash: string): Promise<void> {
		await rm(this.#path(hash), { force: true });
	}

	async exists(hash: string): Promise<boolean> {
		if (!HASH.test(hash)) return false;
		return stat(this.#path(hash)).then(
			(s) => s.isFile(),
			() => false
		);
	}

	async discardPartial(before: number): Promise<void> {
		await removeOlderThan(this.#tmp, before);
	}
}

/** Removes the entries of `dir` last changed before `before` (ms): what a server stopped mid-write left. */
export async function removeOlderThan(dir: string, before: number): Promise<void> {
	const names = await readdir(dir).catch(() => [] as string[]);
	for (const name of names) {
		const path = join(dir, name);
		const info = await stat(path).catch(() => undefined);
		if (info && info.mtimeMs < before) await rm(path, { recursive: true, force: true });
	}
}
