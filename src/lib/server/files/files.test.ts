import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PassThrough, Readable } from 'node:stream';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isApiFailure } from '../api-failure.ts';
import { migrate, readMigrations } from '../db.ts';
import { RoomEvents } from '../events.ts';
import { createLogger } from '../log.ts';
import { RoomAccess } from '../room-access.ts';
import { Rooms } from '../rooms.ts';
import { createRoomWithMembers } from '../rooms-fixture.ts';
import { Files, UploadRateLimited, type FileRecord, type UploadLimits } from './files.ts';
import { FsStorage } from './storage.ts';

const MIGRATIONS = readMigrations(join(import.meta.dirname, '../../../../migrations'));
const HOUR = 3600_000;

let dir: string;
let db: DatabaseSync;
let rooms: Rooms;
let files: Files;
let clock: number;
let logLines: string[];

function setup(limits: UploadLimits = { bytesPerHour: 100 * 1024 * 1024, perMinute: 1000 }) {
	dir = mkdtempSync(join(tmpdir(), 'parley-files-'));
	db = new DatabaseSync(':memory:');
	db.exec('pragma foreign_keys = on');
	migrate(db, MIGRATIONS);
	const events = new RoomEvents();
	clock = 1_800_000_000_000;
	const now = () => clock;
	logLines = [];
	files = new Files({
		db,
		rooms: new RoomAccess({ db, events, memberLimit: 100, now }),
		storage: new FsStorage(join(dir, 'files')),
		log: createLogger('info', (line) => logLines.push(line)),
		dataDir: dir,
		sizeLimit: 10 * 1024 * 1024,
		roomQuota: 50 * 1024 * 1024,
		orphanMs: 24 * HOUR,
		uploadLimits: limits,
		now
	});
	rooms = new Rooms({ db, events, memberLimit: 100, createPerHour: 100, files, now });
	for (const id of ['ann', 'bob']) {
		db.prepare('insert into user (id, name, email, emailVerified, createdAt, updatedAt) values (?, ?, ?, 0, 0, 0)').run(id, id, `${id}@parley.test`);
	}
}

beforeEach(() => setup());
afterEach(() => {
	files.stop();
	db.close();
	rmSync(dir, { recursive: true, force: true });
});

const room = (name: string) => createRoomWithMembers(rooms, 'ann', { name, memberIds: ['bob'] }).id;
const bytes = (text: string) => Buffer.from(text.repeat(100));
const put = (roomId: string, body: Buffer, name = 'file.bin', userId = 'ann') =>
	files.upload({ roomId, userId, name, body: Readable.from([body]), declaredSize: body.length });
const attach = (record: FileRecord, messageKey: string) => db.prepare('update file set messageKey = ? where id = ?').run(messageKey, record.id);
const noise = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();

/** The hashes the storage holds (its two-hex-digit folders), sorted. */
function storedHashes(): string[] {
	const root = join(dir, 'files');
	const folders = readdirSync(root).filter((name) => /^[0-9a-f]{2}$/.test(name));
	return folders.flatMap((folder) => readdirSync(join(root, folder)).map((rest) => folder + rest)).sort();
}

async function failure(work: Promise<unknown>) {
	try {
		await work;
	} catch (error) {
		if (isApiFailure(error)) return error;
		throw error;
	}
	throw new Error('expected an ApiFailure');
}

describe('releasing a deleted message’s files', () => {
	it('deletes the files attached to the message and the bytes nothing else uses', async () => {
		const team = room('Team');
		const other = room('Other');
		const image = await put(team, await noise(64, 48), 'photo.png');
		const doc = await put(team, bytes('only here'));
		const shared = await put(team, bytes('shared'));
		const sameBytesElsewhere = await put(other, bytes('shared'));
		const kept = await put(team, bytes('another message'));
		for (const record of [image, doc, shared]) attach(record, 'msg-1');
		attach(sameBytesElsewhere, 'msg-9');
		attach(kept, 'msg-2');
		expect(image.thumbHash).toBeTruthy();

		expect(await files.release(team, 'msg-1')).toBe(3);

		for (const record of [image, doc, shared]) expect(files.find(record.id)).toBeUndefined();
		expect(storedHashes()).toEqual([shared.hash, kept.hash].sort());
		expect(files.find(sameBytesElsewhere.id)).toBeDefined();
		expect(await files.release(team, 'msg-1')).toBe(0);
	});

	it('touches only the given room’s rows of that message key', async () => {
		const team = room('Team');
		const other = room('Other');
		const here = await put(team, bytes('a'));
		const there = await put(other, bytes('b'));
		attach(here, 'same-key');
		attach(there, 'same-key');
		await files.release(team, 'same-key');
		expect(files.find(there.id)).toBeDefined();
		expect(storedHashes()).toEqual([there.hash]);
	});
});

describe('deleting a room', () => {
	it('deletes its files’ bytes, except those another room’s files use', async () => {
		const team = room('Team');
		const other = room('Other');
		const image = await put(team, await noise(40, 40), 'a.png');
		await put(team, bytes('team only'));
		const sharedHere = await put(team, bytes('both rooms'));
		const sharedThere = await put(other, bytes('both rooms'));
		expect(storedHashes()).toHaveLength(4);

		await rooms.delete('ann', team);

		expect(db.prepare('select count(*) as n from file where roomId = ?').get(team)).toEqual({ n: 0 });
		expect(storedHashes()).toEqual([sharedThere.hash]);
		expect(sharedHere.hash).toBe(sharedThere.hash);
		expect(storedHashes()).not.toContain(image.thumbHash);
		expect(files.readable(sharedThere.id, 'bob').id).toBe(sharedThere.id);
	});

	it('refuses before anything is deleted when the person may not', async () => {
		const team = room('Team');
		const record = await put(team, bytes('kept'));
		expect(() => rooms.delete('bob', team)).toThrow(/owner/);
		expect(files.find(record.id)).toBeDefined();
		expect(storedHashes()).toEqual([record.hash]);
	});

	it('leaves no bytes behind from an upload that was arriving while the room was deleted', async () => {
		const team = room('Team');
		const body = new PassThrough();
		const upload = files.upload({ roomId: team, userId: 'ann', name: 'late.bin', body });
		body.write(bytes('first half'));
		await rooms.delete('ann', team);
		body.end(bytes('second half'));
		expect((await failure(upload)).status).toBe(404);
		expect(storedHashes()).toEqual([]);
	});
});

describe('sweeping uploads no message took', () => {
	it('deletes those older than the orphan time, with the bytes nothing else uses', async () => {
		const team = room('Team');
		const old = await put(team, bytes('never sent'));
		const oldImage = await put(team, await noise(30, 30), 'old.png');
		const oldShared = await put(team, bytes('sent later again'));
		const attached = await put(team, bytes('sent'));
		attach(attached, 'msg-1');
		clock += 23 * HOUR;
		const young = await put(team, bytes('being written'));
		const youngSameBytes = await put(team, bytes('sent later again'));
		expect(await files.sweepOrphans()).toBe(0);

		clock += 2 * HOUR;
		expect(await files.sweepOrphans()).toBe(3);

		for (const record of [old, oldImage, oldShared]) expect(files.find(record.id)).toBeUndefined();
		for (const record of [attached, young, youngSameBytes]) expect(files.find(record.id)).toBeDefined();
		expect(storedHashes()).toEqual([attached.hash, young.hash, youngSameBytes.hash].sort());
	});

	it('runs at start, and removes what uploads cut off by a stop left in the incoming and storage folders', async () => {
		const team = room('Team');
		const old = await put(team, bytes('orphan'));
		clock += 25 * HOUR;
		const past = new Date(Date.now() - 60_000);
		for (const folder of ['incoming', 'tmp']) {
			mkdirSync(join(dir, 'files', folder), { recursive: true });
			const leftover = join(dir, 'files', folder, 'cut-off');
			writeFileSync(leftover, 'half an upload');
			utimesSync(leftover, past, past);
		}
		await files.start();
		expect(readdirSync(join(dir, 'files', 'incoming'))).toEqual([]);
		expect(readdirSync(join(dir, 'files', 'tmp'))).toEqual([]);
		expect(files.find(old.id)).toBeUndefined();
		expect(storedHashes()).toEqual([]);
		expect(logLines.some((line) => line.includes('files.orphans_swept'))).toBe(true);
	});
});

describe('the upload allowance', () => {
	/** A body that records whether anything read it. */
	function watchedBody(size: number) {
		const body = new PassThrough();
		let read = false;
		body.on('resume', () => (read = true));
		body.end(Buffer.alloc(size, 1));
		return { body, wasRead: () => read };
	}

	it('refuses past the files a minute with 429 and when to retry, before reading the body', async () => {
		setup({ bytesPerHour: 100 * 1024 * 1024, perMinute: 2 });
		const team = room('Team');
		await put(team, bytes('1'));
		clock += 20_000;
		await put(team, bytes('2'));
		const { body, wasRead } = watchedBody(10);
		const refused = await failure(files.upload({ roomId: team, userId: 'ann', name: 'x', body, declaredSize: 10 }));
		expect(refused).toBeInstanceOf(UploadRateLimited);
		expect(refused.status).toBe(429);
		expect((refused as UploadRateLimited).retryAfterSeconds).toBe(40);
		expect(refused.message).toBe('You are uploading files too often; try again in 40 seconds (at most 2 files a minute).');
		expect(wasRead()).toBe(false);
		// Someone else is not held back, and after the minute the person may again.
		await put(team, bytes('bob'), 'b.bin', 'bob');
		clock += 41_000;
		await put(team, bytes('3'));
	});

	it('refuses past the bytes an hour, counted from Content-Length before reading', async () => {
		const MB = 1024 * 1024;
		setup({ bytesPerHour: 3 * MB, perMinute: 1000 });
		const team = room('Team');
		await put(team, Buffer.alloc(2 * MB, 1));
		const { body, wasRead } = watchedBody(1.5 * MB);
		const refused = await failure(files.upload({ roomId: team, userId: 'ann', name: 'x', body, declaredSize: 1.5 * MB }));
		expect(refused.status).toBe(429);
		expect(wasRead()).toBe(false);
		// 1 MB left, half a megabyte more needed: a sixth of the hour.
		expect((refused as UploadRateLimited).retryAfterSeconds).toBe(600);
		expect(refused.message).toBe('You have used your upload allowance of 3 MB an hour; try again in 10 minutes.');
		await put(team, Buffer.alloc(0.4 * MB, 2));
		clock += 20 * 60_000;
		await put(team, Buffer.alloc(1.5 * MB, 3));
	});
});
