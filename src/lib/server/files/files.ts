import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DatabaseSync } from 'node:sqlite';
import { ApiFailure } from '../api-failure.ts';
import { transaction } from '../db.ts';
import type { Logger } from '../log.ts';
import { TokenBucket, SlidingWindowLimiter, secondsUntilAllowed } from '../rate-limit.ts';
import type { RoomAccess } from '../room-access.ts';
import { m } from '../../paraglide/messages.js';
import { PROCESSED_IMAGES, sniffType } from './sniff.ts';
import { meter, removeOlderThan, TooLarge, type FileStorage } from './storage.ts';
import type { StoredFile } from '../../core/chat/validate-update.ts';

/** A file posted to a room: what the room document's rules check (StoredFile), and where and when it came. */
export type FileRecord = Omit<StoredFile, 'messageKey'> & { id: string; roomId: string; createdAt: number };

/** What one person may upload: bytes an hour (a burst may use the whole hour's allowance) and files a minute. */
export type UploadLimits = { bytesPerHour: number; perMinute: number };

export type FilesOptions = {
	db: DatabaseSync;
	storage: FileStorage;
	rooms: RoomAccess;
	log: Logger;
	dataDir: string;
	sizeLimit: number;
	roomQuota: number;
	/** How long an upload no message took is kept. */
	orphanMs: number;
	uploadLimits: UploadLimits;
	now?: () => number;
};

/** A refusal that says when to try again (the Retry-After header of the 429). */
export class UploadRateLimited extends ApiFailure {
	readonly retryAfterSeconds: number;
	constructor(message: string, retryAfterSeconds: number) {
		super(429, message);
		this.retryAfterSeconds = retryAfterSeconds;
	}
}

const THUMB_SIZE = 480;
const HOUR = 60 * 60 * 1000;
/** How often uploads no message took are looked for. */
const SWEEP_EVERY_MS = HOUR;
const MAX_NAME = 200;
const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

type Sharp = (typeof import('sharp'))['default'];
let sharpLoaded: Promise<Sharp> | undefined;

/** sharp (libvips) is loaded with the first image, not at server start. */
export function loadSharp(): Promise<Sharp> {
	sharpLoaded ??= import('sharp').then(({ default: sharp }) => {
		// Thumbnails of many images at once should not keep decoded pixels around.
		sharp.cache(false);
		return sharp;
	});
	return sharpLoaded;
}

/** A name safe to show and to put in Content-Disposition: no folders, no control characters, bounded. */
export function cleanName(raw: string | null | undefined): string {
	const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
	// eslint-disable-next-line no-control-regex
	const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, MAX_NAME);
	return clean || 'file';
}

/**
 * Files in rooms: an upload is streamed to a temporary file (counted against the size limit as
 * it arrives), its type sniffed from its bytes, images re-encoded without their metadata and given
 * a thumbnail, and the result put in the content-addressed storage. Only current members of the
 * room a file was posted to can read it.
 */
export class Files {
	readonly #db: DatabaseSync;
	readonly storage: FileStorage;
	readonly #rooms: RoomAccess;
	readonly #incoming: string;
	readonly sizeLimit: number;
	readonly roomQuota: number;
	readonly #orphanMs: number;
	readonly #limits: UploadLimits;
	readonly #log: Logger;
	readonly #now: () => number;
	readonly #uploadsPerMinute: SlidingWindowLimiter;
	readonly #bytesPerHour = new Map<string, TokenBucket>();
	/** Storing a file (bytes checked, row inserted) and deleting unreferenced bytes take turns (see #exclusive). */
	#turn: Promise<unknown> = Promise.resolve();
	#sweeper: NodeJS.Timeout | undefined;

	constructor(options: FilesOptions) {
		this.#db = options.db;
		this.storage = options.storage;
		this.#rooms = options.rooms;
		this.#incoming = join(options.dataDir, 'files', 'incoming');
		this.sizeLimit = options.sizeLimit;
		this.roomQuota = options.roomQuota;
		this.#orphanMs = options.orphanMs;
		this.#limits = options.uploadLimits;
		this.#log = options.log;
		this.#now = options.now ?? Date.now;
		this.#uploadsPerMinute = new SlidingWindowLimiter(options.uploadLimits.perMinute, 60_000, this.#now);
	}

	/**
	 * At server start, before requests: removes what uploads cut off by a stop left behind, sweeps
	 * uploads no message took, and sweeps again every hour until `stop`.
	 */
	async start(): Promise<void> {
		// Real time, as the files' modification times are.
		const startedAt = Date.now();
		this.#sweeper = setInterval(() => void this.#sweepLogged(), SWEEP_EVERY_MS).unref();
		await Promise.all([removeOlderThan(this.#incoming, startedAt), this.storage.discardPartial(startedAt)]);
		await this.#sweepLogged();
	}

	stop(): void {
		clearInterval(this.#sweeper);
		this.#sweeper = undefined;
	}

	/**
	 * Called when a message is deleted: deletes the files attached to it, and their bytes when no
	 * other file uses them. Returns how many files went.
	 */
	async release(roomId: string, messageKey: string): Promise<number> {
		const rows = this.#db.prepare('delete from file where roomId = ? and messageKey = ? returning hash, thumbHash').all(roomId, messageKey) as HashRow[];
		await this.#dropUnreferenced(rows);
		return rows.length;
	}

	/**
	 * Deletes a room with `deleteRow` (its file rows go with it by cascade), then the bytes of its
	 * files that no other room's files use. Permission checks come before; the rows are deleted
	 * when this returns, the bytes when the promise settles.
	 */
	deleteRoom(roomId: string, deleteRow: () => void): Promise<void> {
		const rows = transaction(this.#db, () => {
			const rows = this.#db.prepare('select hash, thumbHash from file where roomId = ?').all(roomId) as HashRow[];
			deleteRow();
			return rows;
		});
		return this.#dropUnreferenced(rows);
	}

	/** Deletes every file a person posted (their account is being deleted), with the bytes no other file uses; returns how many. */
	async deleteUploads(userId: string): Promise<number> {
		const rows = this.#db.prepare('delete from file where uploaderId = ? returning hash, thumbHash').all(userId) as HashRow[];
		await this.#dropUnreferenced(rows);
		return rows.length;
	}

	/** Deletes the uploads no message took within the orphan time, with their unreferenced bytes; returns how many. */
	async sweepOrphans(): Promise<number> {
		const rows = this.#db.prepare('delete from file where messageKey is null and createdAt < ? returning hash, thumbHash').all(this.#now() - this.#orphanMs) as HashRow[];
		await this.#dropUnreferenced(rows);
		return rows.length;
	}

	async #sweepLogged(): Promise<void> {
		try {
			const swept = await this.sweepOrphans();
			if (swept) this.#log.info('files.orphans_swept', { files: swept });
		} catch (error) {
			this.#log.error('files.sweep_failed', { error });
		}
	}

	/**
	 * The one place stored bytes are deleted: each hash (a file's or a thumbnail's) that no file
	 * row references any more. Bytes are shared by content across rooms, so a hash is deleted only
	 * when nothing uses it; a failure is logged and the rest still go.
	 */
	async #dropUnreferenced(rows: HashRow[]): Promise<void> {
		const hashes = new Set(rows.flatMap((r) => [r.hash, r.thumbHash]).filter((h): h is string => !!h));
		for (const hash of hashes) {
			await this.#exclusive(async () => {
				if (this.#referenced(hash)) return;
				await this.storage.delete(hash);
			}).catch((error: unknown) => this.#log.error('files.delete_failed', { hash, error }));
		}
	}

	#referenced(hash: string): boolean {
		return !!this.#db.prepare('select 1 from file where hash = ? or thumbHash = ? limit 1').get(hash, hash);
	}

	/**
	 * Runs `work` after the work queued before it. Deleting a hash (checking no row uses it, then
	 * deleting) and storing a file (making sure its bytes are there, then inserting its row) take
	 * turns, so an upload of the same bytes can never lose them to a deletion in between.
	 */
	#exclusive<T>(work: () => Promise<T>): Promise<T> {
		const result = this.#turn.then(work);
		this.#turn = result.catch(() => undefined);
		return result;
	}

	/** Takes one upload of `bytes` from the person's allowances, or refuses with when to try again. */
	#takeAllowance(userId: string, bytes: number): void {
		const minuteWait = this.#uploadsPerMinute.waitMs(userId);
		if (minuteWait > 0) {
			const seconds = secondsUntilAllowed(this.#uploadsPerMinute, userId);
			throw new UploadRateLimited(m.err_uploads_too_often({ seconds, max: this.#limits.perMinute }), seconds);
		}
		let bucket = this.#bytesPerHour.get(userId);
		if (!bucket) this.#bytesPerHour.set(userId, (bucket = new TokenBucket(this.#limits.bytesPerHour, HOUR, this.#now)));
		const taken = bucket.take(bytes);
		if (!taken.ok) {
			const seconds = Math.ceil(taken.retryMs / 1000);
			throw new UploadRateLimited(m.err_upload_bytes_hourly({ megabytes: megabytes(this.#limits.bytesPerHour), minutes: Math.ceil(seconds / 60) }), seconds);
		}
		this.#uploadsPerMinute.take(userId);
	}

	tooLarge = () => new ApiFailure(413, m.err_file_too_large({ megabytes: megabytes(this.sizeLimit) }));

	roomUsage(roomId: string): number {
		return (this.#db.prepare('select coalesce(sum(size), 0) as n from file where roomId = ?').get(roomId) as { n: number }).n;
	}

	/** Stores an upload from a member of the room; `declaredSize` (Content-Length) lets an oversized one be refused before it is read. */
	async upload(input: { roomId: string; userId: string; name: string | null; body: Readable; declaredSize?: number }): Promise<FileRecord> {
		this.#rooms.requireMember(input.roomId, input.userId);
		if (input.declaredSize !== undefined && input.declaredSize > this.sizeLimit) throw this.tooLarge();
		// Checked before a byte is read; without a Content-Length the upload counts as the largest allowed.
		this.#takeAllowance(input.userId, input.declaredSize ?? this.sizeLimit);
		const full = () => new ApiFailure(413, m.err_room_storage_full({ megabytes: megabytes(this.roomQuota) }));
		if (this.roomUsage(input.roomId) + (input.declaredSize ?? 0) > this.roomQuota) throw full();
		await mkdir(this.#incoming, { recursive: true, mode: 0o700 });
		const temp = join(this.#incoming, randomUUID());
		const cleaned = `${temp}.clean`;
		try {
			const counted = meter(this.sizeLimit);
			try {
				await pipeline(input.body, counted.transform, createWriteStream(temp, { mode: 0o600 }));
			} catch (error) {
				if (error instanceof TooLarge) throw this.tooLarge();
				throw new ApiFailure(400, m.err_body_unreadable());
			}
			const received = counted.result();
			if (this.roomUsage(input.roomId) + received.size > this.roomQuota) throw full();
			let type = sniffType(await head(temp));
			let source = temp;
			let width: number | null = null;
			let height: number | null = null;
			let thumbBytes: Buffer | undefined;
			if (PROCESSED_IMAGES.has(type)) {
				const sharp = await loadSharp();
				try {
					// Re-encoding drops EXIF (location, camera) and applies the orientation it held; a GIF keeps its frames.
					if (type !== 'image/gif') {
						await sharp(temp).rotate().toFile(cleaned);
						source = cleaned;
					}
					const meta = await sharp(source).metadata();
					width = meta.width ?? null;
					height = meta.pageHeight ?? meta.height ?? null;
					thumbBytes = await sharp(source).resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer();
				} catch {
					// Not an image sharp can read after all: offered as a download.
					type = 'application/octet-stream';
					source = temp;
					thumbBytes = undefined;
				}
			}
			// The cleaned image is measured again; the received file was measured as it arrived.
			const stored = source === temp ? received : await measure(source);
			const thumb = thumbBytes && { hash: createHash('sha256').update(thumbBytes).digest('hex'), bytes: thumbBytes };
			const record: FileRecord = {
				id: randomUUID(),
				roomId: input.roomId,
				uploaderId: input.userId,
				hash: stored.hash,
				size: stored.size,
				type,
				name: cleanName(input.name),
				width,
				height,
				thumbHash: thumb?.hash ?? null,
				createdAt: this.#now()
			};
			try {
				// Within the turn, so that no deletion of the same bytes runs between storing and recording them.
				await this.#exclusive(async () => {
					if (!(await this.storage.exists(stored.hash))) await this.storage.putFile(source, stored);
					if (thumb && !(await this.storage.exists(thumb.hash))) await this.storage.put(Readable.from([thumb.bytes]));
					this.#db
						.prepare('insert into file (id, roomId, uploaderId, hash, size, type, name, width, height, thumbHash, createdAt) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
						.run(record.id, record.roomId, record.uploaderId, record.hash, record.size, record.type, record.name, record.width, record.height, record.thumbHash, record.createdAt);
				});
				return record;
			} catch (error) {
				// Bytes without a row are nobody's (e.g. the room was deleted while they arrived).
				await this.#dropUnreferenced([record]);
				if (!this.#rooms.role(input.roomId, input.userId)) throw new ApiFailure(404, m.err_no_room());
				throw error;
			}
		} finally {
			await rm(temp, { force: true });
			await rm(cleaned, { force: true });
		}
	}

	find(fileId: string): FileRecord | undefined {
		return this.#db.prepare('select * from file where id = ?').get(fileId) as FileRecord | undefined;
	}

	/** The file when the person is a current member of its room; "not found" otherwise, so file ids do not leak. */
	readable(fileId: string, userId: string): FileRecord {
		const record = this.find(fileId);
		if (!record || !this.#rooms.role(record.roomId, userId)) throw new ApiFailure(404, m.err_no_file());
		return record;
	}
}

type HashRow = { hash: string; thumbHash: string | null };

/** The hash and size of a local file. */
async function measure(path: string): Promise<{ hash: string; size: number }> {
	const counted = meter();
	await pipeline(createReadStream(path), counted.transform, new Writable({ write: (_chunk, _encoding, done) => done() }));
	return counted.result();
}

async function head(path: string): Promise<Uint8Array> {
	const handle = await open(path, 'r');
	try {
		const buffer = new Uint8Array(32);
		const { bytesRead } = await handle.read(buffer, 0, 32, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}


