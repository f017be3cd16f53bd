import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DatabaseSync } from 'node:sqlite';
import sharp from 'sharp';
import { ApiFailure } from '../api-failure.ts';
import type { RoomAccess } from '../room-access.ts';
import { m } from '../../paraglide/messages.js';
import { PROCESSED_IMAGES, sniffType } from './sniff.ts';
import { meter, TooLarge, type FileStorage } from './storage.ts';

/** A file posted to a room, as the room document references it. */
export type FileRecord = {
	id: string;
	roomId: string;
	uploaderId: string;
	hash: string;
	size: number;
	type: string;
	name: string;
	width: number | null;
	height: number | null;
	thumbHash: string | null;
	createdAt: number;
};

export type FilesOptions = { db: DatabaseSync; storage: FileStorage; rooms: RoomAccess; dataDir: string; sizeLimit: number; roomQuota: number; now?: () => number };

const THUMB_SIZE = 480;
const MAX_NAME = 200;
const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

// Thumbnails of many images at once should not keep decoded pixels around.
sharp.cache(false);

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
	readonly #now: () => number;

	constructor(options: FilesOptions) {
		this.#db = options.db;
		this.storage = options.storage;
		this.#rooms = options.rooms;
		this.#incoming = join(options.dataDir, 'files', 'incoming');
		this.sizeLimit = options.sizeLimit;
		this.roomQuota = options.roomQuota;
		this.#now = options.now ?? Date.now;
	}

	tooLarge = () => new ApiFailure(413, m.err_file_too_large({ megabytes: megabytes(this.sizeLimit) }));

	roomUsage(roomId: string): number {
		return (this.#db.prepare('select coalesce(sum(size), 0) as n from file where roomId = ?').get(roomId) as { n: number }).n;
	}

	/** Stores an upload from a member of the room; `declaredSize` (Content-Length) lets an oversized one be refused before it is read. */
	async upload(input: { roomId: string; userId: string; name: string | null; body: Readable; declaredSize?: number }): Promise<FileRecord> {
		this.#rooms.requireMember(input.roomId, input.userId);
		if (input.declaredSize !== undefined && input.declaredSize > this.sizeLimit) throw this.tooLarge();
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
			const { size } = counted.result();
			if (this.roomUsage(input.roomId) + size > this.roomQuota) throw full();
			let type = sniffType(await head(temp));
			let source = temp;
			let width: number | null = null;
			let height: number | null = null;
			let thumbHash: string | null = null;
			if (PROCESSED_IMAGES.has(type)) {
				try {
					// Re-encoding drops EXIF (location, camera) and applies the orientation it held; a GIF keeps its frames.
					if (type !== 'image/gif') {
						await sharp(temp).rotate().toFile(cleaned);
						source = cleaned;
					}
					const meta = await sharp(source).metadata();
					width = meta.width ?? null;
					height = meta.pageHeight ?? meta.height ?? null;
					const thumb = await sharp(source).resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer();
					thumbHash = (await this.storage.put(Readable.from([thumb]))).hash;
				} catch {
					// Not an image sharp can read after all: offered as a download.
					type = 'application/octet-stream';
					source = temp;
				}
			}
			const stored = await this.storage.put(createReadStream(source));
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
				thumbHash,
				createdAt: this.#now()
			};
			this.#db
				.prepare('insert into file (id, roomId, uploaderId, hash, size, type, name, width, height, thumbHash, createdAt) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
				.run(record.id, record.roomId, record.uploaderId, record.hash, record.size, record.type, record.name, record.width, record.height, record.thumbHash, record.createdAt);
			return record;
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

	/** Removes the records, and the stored bytes no other record uses. */
	async remove(fileIds: string[]): Promise<void> {
		for (const id of fileIds) {
			const record = this.find(id);
			if (!record) continue;
			this.#db.prepare('delete from file where id = ?').run(id);
			for (const hash of [record.hash, record.thumbHash]) {
				if (!hash) continue;
				const used = this.#db.prepare('select 1 from file where hash = ? or thumbHash = ? limit 1').get(hash, hash);
				if (!used) await this.storage.delete(hash);
			}
		}
	}
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

