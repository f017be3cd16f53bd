import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { call, createRoomWithMembers, signUpPerson, type Person } from './support/api-client.ts';
import { startServer, type RunningServer } from './support/server.ts';

// The server side of files: limits, what is served and how, who may read.
let server: RunningServer;
test.beforeAll(async () => {
	server = await startServer({ FILE_SIZE_LIMIT: String(64 * 1024), ROOM_STORAGE_QUOTA: String(200 * 1024) });
});
test.afterAll(async () => {
	await server.stop();
});

function upload(who: Person, roomId: string, name: string, body: Uint8Array) {
	return fetch(`${server.url}/api/rooms/${roomId}/files?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { origin: server.url, cookie: who.cookie }, body: body as Uint8Array<ArrayBuffer> });
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
	const stored = await upload(owner, room.id, 'photo.jpg', photo);
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
