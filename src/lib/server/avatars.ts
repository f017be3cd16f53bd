import type { DatabaseSync } from 'node:sqlite';
import { ApiFailure } from './api-failure.ts';
import { loadSharp } from './files/files.ts';
import { PROCESSED_IMAGES, sniffType } from './files/sniff.ts';
import { SlidingWindowLimiter, secondsUntilAllowed } from './rate-limit.ts';
import { m } from '../paraglide/messages.js';

/** Pictures are kept square at this size: twice the largest avatar shown, for sharp screens. */
export const AVATAR_SIZE = 256;
/** Larger images are refused before they are decoded: a small file can still claim a huge canvas. */
const MAX_INPUT_PIXELS = 40_000_000;


/** Whose picture: a person's (set by them) or a room's (set by its owners and admins). */
export type AvatarOwner = { kind: 'user' | 'room'; id: string };

const TABLES = { user: { table: 'user_avatar', key: 'userId', path: 'users' }, room: { table: 'room_avatar', key: 'roomId', path: 'rooms' } } as const;

/** Where a picture is served, with its version so that a new one is fetched at once. */
export const avatarUrl = (owner: AvatarOwner, updatedAt: number) => `/api/${TABLES[owner.kind].path}/${encodeURIComponent(owner.id)}/avatar?v=${updatedAt}`;

/** SQL for the URL of the picture of the person or room whose id is `idSql`, or null: the same as avatarUrl. */
export const avatarUrlSql = (kind: AvatarOwner['kind'], idSql: string) => {
	const { table, key, path } = TABLES[kind];
	return `(select '/api/${path}/' || a.${key} || '/avatar?v=' || a.updatedAt from ${table} a where a.${key} = ${idSql})`;
};

/**
 * People's and rooms' pictures. The server decides what is stored: the bytes must be a PNG, JPEG,
 * WebP or GIF (judged from the bytes), and are decoded and re-encoded to a 256 px square WebP, so
 * no metadata (location, camera) and nothing but pixels is kept. A person's is seen only by them
 * and people who share a room with them; a room's by its members (the route checks).
 */
export class Avatars {
	readonly #db: DatabaseSync;
	readonly #changes: SlidingWindowLimiter;
	readonly #now: () => number;

	constructor(options: { db: DatabaseSync; changesPerHour: number; now?: () => number }) {
		this.#db = options.db;
		this.#now = options.now ?? Date.now;
		this.#changes = new SlidingWindowLimiter(options.changesPerHour, 3_600_000, this.#now);
	}

	/** Counted against the person making the change, whether of their own picture or a room's. */
	#takeChange(actorId: string): void {
		if (!this.#changes.take(actorId)) throw new ApiFailure(429, m.err_avatar_rate({ seconds: secondsUntilAllowed(this.#changes, actorId) }));
	}

	/** Sets the picture from an uploaded image, as `actorId` (already allowed to); returns its URL. */
	async set(owner: AvatarOwner, bytes: Uint8Array, actorId = owner.id): Promise<string> {
		if (bytes.byteLength < 16 || !PROCESSED_IMAGES.has(sniffType(bytes.subarray(0, 16)))) throw new ApiFailure(415, m.err_avatar_type());
		this.#takeChange(actorId);
		const sharp = await loadSharp();
		let image: Buffer;
		try {
			// The first frame of an animation; turned as its EXIF said, then cropped to the most interesting square.
			image = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
				.rotate()
				.resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'attention' })
				.webp({ quality: 82 })
				.toBuffer();
		} catch {
			throw new ApiFailure(415, m.err_avatar_unreadable());
		}
		// Later than the picture before it, even within the same millisecond: each version has its own URL.
		const updatedAt = Math.max(this.#now(), (this.#version(owner) ?? 0) + 1);
		const { table, key } = TABLES[owner.kind];
		this.#db.prepare(`insert into ${table} (${key}, image, updatedAt) values (?, ?, ?) on conflict (${key}) do update set image = excluded.image, updatedAt = excluded.updatedAt`).run(owner.id, image, updatedAt);
		return avatarUrl(owner, updatedAt);
	}

	/** Removes the picture (initials are shown again). */
	remove(owner: AvatarOwner, actorId = owner.id): void {
		this.#takeChange(actorId);
		const { table, key } = TABLES[owner.kind];
		this.#db.prepare(`delete from ${table} where ${key} = ?`).run(owner.id);
	}

	#version(owner: AvatarOwner): number | undefined {
		const { table, key } = TABLES[owner.kind];
		return (this.#db.prepare(`select updatedAt from ${table} where ${key} = ?`).get(owner.id) as { updatedAt: number } | undefined)?.updatedAt;
	}

	/** The current picture URL, or null. */
	url(owner: AvatarOwner): string | null {
		const version = this.#version(owner);
		return version === undefined ? null : avatarUrl(owner, version);
	}

	/** The picture's bytes and version, or a 404. */
	image(owner: AvatarOwner): { image: Uint8Array; updatedAt: number } {
		const { table, key } = TABLES[owner.kind];
		const row = this.#db.prepare(`select image, updatedAt from ${table} where ${key} = ?`).get(owner.id) as { image: Uint8Array; updatedAt: number } | undefined;
		if (!row) throw new ApiFailure(404, m.err_no_avatar());
		return row;
	}

	/**
	 * The picture of person `ownerId` for `viewerId`: themselves, or someone who shares a room with them. To
	 * anyone else, and when there is none, 404 (which of the two is not told).
	 */
	read(viewerId: string, ownerId: string): { image: Uint8Array; updatedAt: number } {
		const visible =
			viewerId === ownerId ||
			this.#db.prepare('select 1 from room_member a join room_member b on b.roomId = a.roomId where a.userId = ? and b.userId = ? limit 1').get(viewerId, ownerId) !== undefined;
		if (!visible) throw new ApiFailure(404, m.err_no_avatar());
		return this.image({ kind: 'user', id: ownerId });
	}
}

/**
 * The answer to GET …/avatar: checked on each request (no-cache with an ETag; the device keeps a copy
 * for offline and revalidates it when online), and nothing in it can run on Parley's origin.
 */
export function avatarResponse(request: Request, { image, updatedAt }: { image: Uint8Array; updatedAt: number }): Response {
	const headers = {
		'content-type': 'image/webp',
		'x-content-type-options': 'nosniff',
		'content-security-policy': "default-src 'none'; sandbox",
		'cross-origin-resource-policy': 'same-origin',
		'cache-control': 'private, no-cache',
		etag: `"avatar-${updatedAt}"`
	};
	if (request.headers.get('if-none-match') === headers.etag) return new Response(null, { status: 304, headers });
	return new Response(Buffer.from(image), { status: 200, headers: { ...headers, 'content-length': String(image.byteLength) } });
}
