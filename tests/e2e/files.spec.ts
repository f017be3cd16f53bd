import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { call, createRoomWithMembers, signUpPerson, type Person } from './support/api-client.ts';
import { startServer, type RunningServer } from './support/server.ts';

// The server side of files: limits, what is served and how, who may read.
let server: RunningServer;
test.beforeAll(async () => {
	server = await startServer({ FILE_SIZE_LIMIT: String(64 * 1024), ROOM_STORAGE_QUOTA: String(200 * 1024), UPLOADS_PER_MINUTE: '6' });
});
test.afterAll(async () => {
	await server.stop();
});

function upload(who: Person, roomId: string, name: string, body: Uint8Array<ArrayBuffer>, on: RunningServer = server, headers: Record<string, string> = {}) {
	return fetch(`${on.url}/api/rooms/${roomId}/files?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { origin: on.url, cookie: who.cookie, ...headers }, body });
}
const download = (who: Person, id: string) => fetch(`${server.url}/api/files/${id}`, { headers: { cookie: who.cookie } });

test('a file over the limit, and one over the room’s quota, get 413 with the limit in words', async () => {
	const owner = await signUpPerson(server.url, 'Uploader');
	const room = await createRoomWithMembers(server.url, owner, 'Limits', []);
	const tooBig = await upload(owner, room.id, 'big.bin', new Uint8Array(64 * 1024 + 1));
	expect(tooBig.status).toBe(413);
	expect((await tooBig.json()).error).toBe('Files can be at most 0.1 MB.');
	for (let i = 0; i < 3; i++) expect((await upload(owner, room.id, `part-${i}.bin`, new Uint8Array(60 * 1024).fill(i))).status).toBe(201);
	const full = await upload(owner, room.id, 'one-more.bin', new Uint8Array(60 * 1024).fill(9));
	expect(full.status).toBe(413);
	expect((await full.json()).error).toContain('0.2 MB');
});

test('an uploaded HTML page is served as a sandboxed download, never as a page', async () => {
	const owner = await signUpPerson(server.url, 'Sender');
	const room = await createRoomWithMembers(server.url, owner, 'Html', []);
	const page = new TextEncoder().encode('<!doctype html><script>parent.pwned = 1</script><svg onload="alert(1)"></svg>');
	const stored = await upload(owner, room.id, 'evil.html', page);
	expect(stored.status).toBe(201);
	const { id, type } = await stored.json();
	expect(type).toBe('application/octet-stream');
	const res = await download(owner, id);
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('application/octet-stream');
	expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
	expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	expect(res.headers.get('content-security-policy')).toContain('sandbox');
	expect(new Uint8Array(await res.arrayBuffer())).toEqual(page);
});

test('an image loses its EXIF location, gets a thumbnail, and a removed member can no longer read it', async () => {
	const owner = await signUpPerson(server.url, 'Photographer');
	const member = await signUpPerson(server.url, 'Viewer');
	const room = await createRoomWithMembers(server.url, owner, 'Photos', [member]);
	const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3366aa' } })
		.jpeg()
		.withExif({ IFD0: { Make: 'Parley test camera' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '55/1 45/1 0/1' } })
		.toBuffer();
	expect((await sharp(photo).metadata()).exif, 'the test photo carries EXIF').toBeDefined();
	const stored = await upload(owner, room.id, 'photo.jpg', new Uint8Array(photo));
	expect(stored.status).toBe(201);
	const record = await stored.json();
	expect(record).toMatchObject({ type: 'image/jpeg', width: 800, height: 600 });

	const seen = await download(member, record.id);
	expect(seen.status).toBe(200);
	expect(seen.headers.get('content-disposition')).toMatch(/^inline;/);
	const served = await sharp(Buffer.from(await seen.arrayBuffer())).metadata();
	expect(served.exif, 'no EXIF (location, camera) left').toBeUndefined();
	const thumb = await fetch(`${server.url}/api/files/${record.id}/thumbnail`, { headers: { cookie: member.cookie } });
	expect(thumb.headers.get('content-type')).toBe('image/webp');
	const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
	expect(Math.max(thumbMeta.width!, thumbMeta.height!)).toBeLessThanOrEqual(480);

	expect((await call(server.url, owner, 'DELETE', `/api/rooms/${room.id}/members/${member.id}`)).status).toBe(204);
	expect((await download(member, record.id)).status).toBe(404);
	expect((await download(owner, record.id)).status).toBe(200);
});

test('past the uploads a minute, an upload gets 429 with Retry-After and a message in the person’s language', async () => {
	const person = await signUpPerson(server.url, 'Busy uploader');
	const room = await createRoomWithMembers(server.url, person, 'Busy', []);
	for (let i = 0; i < 6; i++) expect((await upload(person, room.id, `n-${i}.bin`, new Uint8Array(100).fill(i))).status).toBe(201);
	const refused = await upload(person, room.id, 'one-too-many.bin', new Uint8Array(100));
	expect(refused.status).toBe(429);
	const retryAfter = Number(refused.headers.get('retry-after'));
	expect(retryAfter).toBeGreaterThanOrEqual(1);
	expect(retryAfter).toBeLessThanOrEqual(60);
	expect((await refused.json()).error).toMatch(/^You are uploading files too often; try again in \d+ seconds? \(at most 6 files a minute\)\.$/);
	const inRussian = await upload(person, room.id, 'ещё.bin', new Uint8Array(100), server, { 'accept-language': 'ru' });
	expect(inRussian.status).toBe(429);
	expect((await inRussian.json()).error).toMatch(/^Вы загружаете файлы слишком часто; попробуйте через \d+ секунд/);
	// Someone else in the same room is not held back.
	const other = await signUpPerson(server.url, 'Calm uploader');
	const theirs = await createRoomWithMembers(server.url, other, 'Calm', []);
	expect((await upload(other, theirs.id, 'calm.bin', new Uint8Array(100))).status).toBe(201);
});

test('deleting a room, by its owner or an administrator, deletes its files’ bytes but not those another room also has', async () => {
	const own = await startServer();
	try {
		const admin = await signUpPerson(own.url, 'Administrator');
		const owner = await signUpPerson(own.url, 'Room owner');
		const [a, b, c] = await Promise.all(['A', 'B', 'C'].map((name) => createRoomWithMembers(own.url, owner, name, [])));
		const stored = async (roomId: string, bytes: Uint8Array<ArrayBuffer>) => {
			const res = await upload(owner, roomId, 'f.bin', bytes, own);
			expect(res.status).toBe(201);
			return ((await res.json()) as { hash: string }).hash;
		};
		const onDisk = (hash: string) => existsSync(join(own.dataDir, 'files', hash.slice(0, 2), hash.slice(2)));
		const onlyA = await stored(a.id, new TextEncoder().encode('only in room A'));
		const shared = await stored(a.id, new TextEncoder().encode('in rooms A and B'));
		expect(await stored(b.id, new TextEncoder().encode('in rooms A and B'))).toBe(shared);
		const onlyC = await stored(c.id, new TextEncoder().encode('only in room C'));
		for (const hash of [onlyA, shared, onlyC]) expect(onDisk(hash)).toBe(true);

		expect((await call(own.url, owner, 'DELETE', `/api/rooms/${a.id}`)).status).toBe(204);
		expect(onDisk(onlyA)).toBe(false);
		expect(onDisk(shared)).toBe(true);

		expect((await call(own.url, admin, 'DELETE', `/api/admin/rooms/${c.id}`)).status).toBe(204);
		expect(onDisk(onlyC)).toBe(false);
		expect(onDisk(shared)).toBe(true);
	} finally {
		await own.stop();
	}
});
