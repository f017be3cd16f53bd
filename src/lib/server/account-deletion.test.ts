import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountDeletion } from './account-deletion.ts';
import { checkAuthRequest } from './auth-requests.ts';
import { createAuth, type Auth } from './auth.ts';
import { migrate, readMigrations } from './db.ts';
import { RoomEvents, type RoomChange } from './events.ts';
import { Files } from './files/files.ts';
import { FsStorage } from './files/storage.ts';
import { createLogger } from './log.ts';
import { MessageSearch } from './message-search.ts';
import { RoomAccess } from './room-access.ts';
import { Rooms } from './rooms.ts';
import { addAcceptedMember, createRoomWithMembers } from './rooms-fixture.ts';
import { Signups } from './signups.ts';
import { SyncStore } from '../../../sync/store.ts';

const PASSWORD = 'long enough password';

/** A person deleting their account through better-auth's delete-user, with Parley's hooks, on SQLite and real file storage. */
describe('deleting an account', () => {
	let dir: string;
	let db: DatabaseSync;
	let auth: Auth;
	let rooms: Rooms;
	let files: Files;
	let changes: RoomChange[];
	const cookies = new Map<string, string>();
	const ids = new Map<string, string>();
	const id = (name: string) => ids.get(name)!;

	const deleteUser = (name: string, body: unknown) =>
		auth.handler(
			new Request('http://localhost/api/auth/delete-user', {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: 'http://localhost', cookie: cookies.get(name)! },
				body: JSON.stringify(body)
			})
		);
	const userExists = (name: string) => !!db.prepare('select 1 from user where id = ?').get(id(name));
	const room = (roomId: string) => db.prepare('select id, createdBy from room where id = ?').get(roomId) as { id: string; createdBy: string } | undefined;
	const roleOf = (roomId: string, name: string) => rooms.role(roomId, id(name));

	beforeEach(async () => {
		dir = mkdtempSync(join(tmpdir(), 'parley-account-'));
		db = new DatabaseSync(':memory:');
		db.exec('pragma foreign_keys = on');
		migrate(db, readMigrations(join(import.meta.dirname, '../../../migrations')));
		const events = new RoomEvents();
		changes = [];
		events.onChange((change) => changes.push(change));
		const log = createLogger('error', () => {});
		files = new Files({
			db,
			rooms: new RoomAccess({ db, events, memberLimit: 100 }),
			storage: new FsStorage(join(dir, 'files')),
			log,
			dataDir: dir,
			sizeLimit: 1024 * 1024,
			roomQuota: 10 * 1024 * 1024,
			orphanMs: 3600_000,
			uploadLimits: { bytesPerHour: 10 * 1024 * 1024, perMinute: 100 }
		});
		rooms = new Rooms({ db, events, memberLimit: 100, createPerHour: 100, files });
		const signups = new Signups(db, 'open');
		const deletion = new AccountDeletion({ db, events, files, isLastAdmin: (userId) => signups.isLastAdmin(userId) });
		auth = createAuth({
			db,
			secret: 's'.repeat(40),
			config: { origin: 'http://localhost', signInRateLimit: 1000 },
			signups,
			account: { beforeDelete: (userId) => deletion.prepare(userId), renamed: (userId) => rooms.renamedPerson(userId) }
		});
		// The first account is the administrator.
		for (const name of ['admin', 'ann', 'bob', 'cy']) {
			const res = await auth.api.signUpEmail({ body: { name, email: `${name}@parley.test`, password: PASSWORD }, asResponse: true });
			cookies.set(name, res.headers.getSetCookie()[0].split(';')[0]);
			ids.set(name, ((await res.json()) as { user: { id: string } }).user.id);
		}
	});

	afterEach(() => {
		files.stop();
		db.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('is refused without the password before better-auth sees it, and with a wrong one by better-auth', async () => {
		const request = (body: unknown) => new Request('http://localhost/api/auth/delete-user', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		expect((await checkAuthRequest(request({})))?.status).toBe(400);
		const refused = await checkAuthRequest(request({ password: '' }));
		expect(refused?.status).toBe(400);
		expect(await refused?.json()).toEqual({ error: 'Enter your password', field: 'password' });
		expect(await checkAuthRequest(request({ password: 'x' }))).toBeNull();

		const wrong = await deleteUser('ann', { password: 'not the password' });
		expect(wrong.status).toBe(400);
		expect(((await wrong.json()) as { code: string }).code).toBe('INVALID_PASSWORD');
		expect(userExists('ann')).toBe(true);
	});

	it('keeps the rooms others are in, hands over what the person owned and deletes what only they were in', async () => {
		// Team: ann owns it, bob is an admin, cy a member.
		const team = createRoomWithMembers(rooms, id('ann'), { name: 'Team', memberIds: [id('bob'), id('cy')] }).id;
		rooms.changeRole(id('ann'), team, id('bob'), 'admin');
		// Handed: ann made it and gave it to cy; she is still its createdBy (which has no cascade).
		const handed = createRoomWithMembers(rooms, id('ann'), { name: 'Handed', memberIds: [id('cy')] }).id;
		rooms.changeRole(id('ann'), handed, id('cy'), 'owner');
		// Solo: only ann; Pending: ann and an invitation bob has not answered.
		const solo = rooms.create(id('ann'), { name: 'Solo' }).id;
		const pending = rooms.create(id('ann'), { name: 'Pending' }).id;
		rooms.addMember(id('ann'), pending, id('bob'));
		// A direct room with bob, who accepted.
		const direct = rooms.direct(id('ann'), id('bob')).room.id;
		rooms.direct(id('bob'), id('ann'));
		// Cy's room that ann joined.
		const cys = createRoomWithMembers(rooms, id('cy'), { name: 'Cy', memberIds: [] }).id;
		addAcceptedMember(rooms, id('cy'), cys, id('ann'));
		// A file ann posted in Team, one bob posted, and a message of ann's in the search index.
		const annFile = await files.upload({ roomId: team, userId: id('ann'), name: 'ann.bin', body: Readable.from([Buffer.from('ann'.repeat(50))]) });
		const bobFile = await files.upload({ roomId: team, userId: id('bob'), name: 'bob.bin', body: Readable.from([Buffer.from('bob'.repeat(50))]) });
		// Indexed as the sync service indexes every message (message and search indexes).
		new SyncStore(db).indexMessages(team, [{ key: `${id('ann')}:01J0000000000000000000000A`, authorId: id('ann'), createdAt: 1, text: 'hello', mentions: [] }], []);
		expect(rooms.deletedAuthors(id('bob'), team)).toEqual([]);
		changes = [];

		const res = await deleteUser('ann', { password: PASSWORD });
		expect(res.status).toBe(200);

		expect(userExists('ann')).toBe(false);
		expect(db.prepare('select count(*) as n from session where userId = ?').get(id('ann'))).toEqual({ n: 0 });
		// Team goes to its admin (before the longer-standing member), and is now bob's room in every way.
		expect(roleOf(team, 'bob')).toBe('owner');
		expect(roleOf(team, 'cy')).toBe('member');
		expect(room(team)?.createdBy).toBe(id('bob'));
		expect(room(handed)?.createdBy).toBe(id('cy'));
		expect(room(cys)).toBeDefined();
		expect(room(solo)).toBeUndefined();
		expect(room(pending)).toBeUndefined();
		// The direct room stays bob's, named for the account that is gone.
		expect(rooms.get(id('bob'), direct).name).toBe('Deleted user');
		expect(rooms.listForUser(id('bob')).find((r) => r.id === direct)?.name).toBe('Deleted user');
		// Ann's file and its bytes are gone; bob's stays.
		expect(files.find(annFile.id)).toBeUndefined();
		expect(await files.storage.exists(annFile.hash)).toBe(false);
		expect(files.find(bobFile.id)).toBeDefined();
		// Her message stays, by a deleted account, in the room and in search.
		expect(rooms.deletedAuthors(id('bob'), team)).toEqual([id('ann')]);
		expect(new MessageSearch(db, { resultLimit: 10, perMinute: 10 }).search(id('bob'), 'hello')).toMatchObject([{ roomId: team, authorId: id('ann'), authorName: 'Deleted user', roomName: 'Team' }]);
		// The others' pages hear of it; bob is told the pending room is gone.
		expect(changes).toEqual(
			expect.arrayContaining([
				{ roomId: team, kind: 'member-removed', notify: [id('bob'), id('cy')], revoked: [id('ann')] },
				{ roomId: direct, kind: 'member-removed', notify: [id('bob')], revoked: [id('ann')] },
				{ roomId: solo, kind: 'deleted', notify: [id('ann')], revoked: [id('ann')] },
				{ roomId: pending, kind: 'deleted', notify: [id('ann'), id('bob')], revoked: [id('ann'), id('bob')] }
			])
		);
		// And she cannot sign in again.
		await expect(auth.api.signInEmail({ body: { email: 'ann@parley.test', password: PASSWORD } })).rejects.toMatchObject({ status: 'UNAUTHORIZED' });
	});

	it('refuses the only administrator, and lets an administrator go when there is another', async () => {
		const refused = await deleteUser('admin', { password: PASSWORD });
		expect(refused.status).toBe(403);
		expect(((await refused.json()) as { message: string }).message).toMatch(/only administrator/);
		expect(userExists('admin')).toBe(true);
		// Refused before anything was deleted: still signed in, still with a password.
		expect(await auth.api.signInEmail({ body: { email: 'admin@parley.test', password: PASSWORD } })).toMatchObject({ user: { id: id('admin') } });

		db.prepare('update user set isAdmin = 1 where id = ?').run(id('cy'));
		expect((await deleteUser('admin', { password: PASSWORD })).status).toBe(200);
		expect(userExists('admin')).toBe(false);
	});

	it('tells the rooms of a person who changed their name', async () => {
		const team = createRoomWithMembers(rooms, id('ann'), { name: 'Team', memberIds: [id('bob')] }).id;
		changes = [];
		const res = await auth.handler(
			new Request('http://localhost/api/auth/update-user', {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: 'http://localhost', cookie: cookies.get('ann')! },
				body: JSON.stringify({ name: 'Ann Smith' })
			})
		);
		expect(res.status).toBe(200);
		expect(changes).toEqual([{ roomId: team, kind: 'renamed', notify: expect.arrayContaining([id('ann'), id('bob')]), revoked: [] }]);
	});
});
