import type { DatabaseSync } from 'node:sqlite';
import sharp from 'sharp';
import { beforeEach, describe, expect, it } from 'vitest';
import { AVATAR_SIZE, Avatars } from './avatars.ts';
import type { Rooms } from './rooms.ts';
import { addAcceptedMember, roomsInMemory } from './rooms-fixture.ts';

const ANN = { kind: 'user', id: 'ann' } as const;
const BOB = { kind: 'user', id: 'bob' } as const;

let db: DatabaseSync;
let rooms: Rooms;
let avatars: Avatars;
let clock: number;

beforeEach(() => {
	clock = 1_800_000_000_000;
	({ db, rooms } = roomsInMemory(['ann', 'bob', 'eve'], () => clock));
	avatars = new Avatars({ db, changesPerHour: 5, now: () => clock });
});

/** A JPEG photo, 1200×800, with EXIF saying where it was taken and that it is turned a quarter. */
const photo = () =>
	sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 30, b: 60 } } })
		.jpeg()
		.withExif({ IFD0: { Orientation: '6', Make: 'PhoneCo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 56/1 0/1' } })
		.toBuffer();

describe('avatars', () => {
	it('keeps a 256 px square WebP without the photo’s metadata, under a new URL each time', async () => {
		const first = await avatars.set(ANN, await photo());
		expect(first).toBe(`/api/users/ann/avatar?v=${clock}`);
		const { image } = avatars.read('ann', 'ann');
		const meta = await sharp(image).metadata();
		expect([meta.format, meta.width, meta.height]).toEqual(['webp', AVATAR_SIZE, AVATAR_SIZE]);
		expect(meta.exif).toBeUndefined();
		expect(Buffer.from(image).includes('PhoneCo')).toBe(false);
		// Set again within the same millisecond: still a new URL, so no device keeps showing the old one.
		const second = await avatars.set(ANN, await photo());
		expect(second).not.toBe(first);
		expect(avatars.url(ANN)).toBe(second);
		avatars.remove(ANN);
		expect(avatars.url(ANN)).toBeNull();
	});

	it('refuses what is not a picture, a damaged one and one too large to decode, keeping the one before', async () => {
		await avatars.set(ANN, await photo());
		const kept = avatars.url(ANN);
		await expect(avatars.set(ANN, new TextEncoder().encode('<svg onload="alert(1)"></svg>'.padEnd(64)))).rejects.toMatchObject({ status: 415 });
		const damaged = (await photo()).subarray(0, 400);
		await expect(avatars.set(ANN, damaged)).rejects.toMatchObject({ status: 415 });
		// 8,000 × 6,000 pixels of one colour compress to almost nothing; decoded they would be 144 MB.
		const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
		expect(bomb.byteLength).toBeLessThan(1024 * 1024);
		await expect(avatars.set(ANN, bomb)).rejects.toMatchObject({ status: 415 });
		expect(avatars.url(ANN)).toBe(kept);
	}, 30_000);

	it('is seen by the person and by people who share a room with them, by nobody else', async () => {
		await avatars.set(ANN, await photo());
		const room = rooms.create('ann', { name: 'Team' }).id;
		expect(() => avatars.read('bob', 'ann')).toThrow(expect.objectContaining({ status: 404 }));
		addAcceptedMember(rooms, 'ann', room, 'bob');
		expect(avatars.read('bob', 'ann').image.byteLength).toBeGreaterThan(0);
		expect(() => avatars.read('eve', 'ann')).toThrow(expect.objectContaining({ status: 404 }));
		rooms.removeMember('ann', room, 'bob');
		expect(() => avatars.read('bob', 'ann')).toThrow(expect.objectContaining({ status: 404 }));
		// The room's member list names it, for the timeline and the sidebar.
		expect(rooms.get('ann', room).members.find((p) => p.userId === 'ann')?.avatar).toBe(avatars.url(ANN));
	});

	it('limits changes per person per hour, and goes with the account', async () => {
		for (let i = 0; i < 5; i++) await avatars.set(ANN, await photo());
		await expect(avatars.set(ANN, await photo())).rejects.toMatchObject({ status: 429 });
		expect(() => avatars.remove(ANN)).toThrow(expect.objectContaining({ status: 429 }));
		await avatars.set(BOB, await photo());
		clock += 3_600_001;
		avatars.remove(ANN);
		db.prepare("delete from user where id = 'bob'").run();
		expect(db.prepare('select count(*) as n from user_avatar').get()).toEqual({ n: 0 });
	});

	it('a group room’s picture is set by its owners and admins only, shown in its members’ lists, and goes with the room', async () => {
		const room = rooms.create('ann', { name: 'Team' }).id;
		addAcceptedMember(rooms, 'ann', room, 'bob');
		const setBy = (userId: string) => rooms.changePicture(userId, room, async (id) => avatars.set({ kind: 'room', id }, await photo(), userId));
		await expect(setBy('bob')).rejects.toMatchObject({ status: 403 });
		const url = await setBy('ann');
		expect(url).toBe(`/api/rooms/${room}/avatar?v=${clock}`);
		expect(rooms.get('bob', room).avatar).toBe(url);
		expect(rooms.listForUser('bob').find((r) => r.id === room)?.avatar).toBe(url);
		// A direct room has none of its own: it shows the other person's.
		const direct = rooms.direct('ann', 'bob').room.id;
		rooms.acceptInvitation('bob', direct);
		await expect(rooms.changePicture('ann', direct, () => null)).rejects.toMatchObject({ status: 403 });
		await avatars.set(BOB, await photo());
		expect(rooms.get('ann', direct).avatar).toBe(avatars.url(BOB));
		await rooms.delete('ann', room);
		expect(db.prepare('select count(*) as n from room_avatar').get()).toEqual({ n: 0 });
	});
});
