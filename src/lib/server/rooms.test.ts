import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiFailure } from './api-failure.ts';
import { migrate, readMigrations } from './db.ts';
import { RoomEvents, type RoomChange } from './events.ts';
import { Rooms } from './rooms.ts';
import { addAcceptedMember, createRoomWithMembers } from './rooms-fixture.ts';
import { SyncStore } from '../../../sync/store.ts';

const MIGRATIONS = readMigrations(join(import.meta.dirname, '../../../migrations'));
const ORIGIN = 'https://parley.test';
const HOUR = 3600_000;

let db: DatabaseSync;
let rooms: Rooms;
let changes: RoomChange[];
let clock: number;

function addUser(id: string, name = id, email = `${id}@parley.test`) {
	db.prepare('insert into user (id, name, email, emailVerified, createdAt, updatedAt) values (?, ?, ?, 0, 0, 0)').run(id, name, email);
	return id;
}

function setup(options: { memberLimit?: number; createPerHour?: number } = {}) {
	db = new DatabaseSync(':memory:');
	db.exec('pragma foreign_keys = on');
	migrate(db, MIGRATIONS);
	const events = new RoomEvents();
	changes = [];
	events.onChange((c) => changes.push(c));
	clock = 1_800_000_000_000;
	rooms = new Rooms({ db, events, memberLimit: options.memberLimit ?? 100, createPerHour: options.createPerHour ?? 30, now: () => clock });
	for (const id of ['owner', 'admin', 'member', 'other', 'outsider']) addUser(id);
}

/** A group with an owner, an admin and two members. */
function group() {
	const room = createRoomWithMembers(rooms, 'owner', { name: 'Team', memberIds: ['admin', 'member', 'other'] });
	rooms.changeRole('owner', room.id, 'admin', 'admin');
	changes = [];
	return room.id;
}

function failure(work: () => unknown): ApiFailure {
	try {
		work();
	} catch (error) {
		if (error instanceof ApiFailure) return error;
		throw error;
	}
	throw new Error('expected an ApiFailure');
}

beforeEach(() => setup());

describe('unread', () => {
	it('counts what others wrote since the person last read the room, or since they joined when later', () => {
		setup();
		const team = rooms.create('owner', { name: 'Team' }).id;
		const say = (authorId: string, at: number) =>
			db.prepare("insert into chat_message (roomId, period, key, authorId, createdAt) values (?, '', ?, ?, ?)").run(team, `${authorId}:${at}`, authorId, at);
		say('owner', clock - 2 * HOUR);
		say('owner', clock - HOUR);
		// Joining with history there: none of it is unread.
		addAcceptedMember(rooms, 'owner', team, 'member');
		const unread = () => rooms.listForUser('member').find((r) => r.id === team)!.unread;
		expect(unread()).toBe(0);
		expect(rooms.lastReadAt('member', team)).toBe(clock);
		clock += HOUR;
		say('owner', clock - 1);
		say('member', clock - 1);
		expect(unread()).toBe(1);
		rooms.markRead('member', team);
		expect(unread()).toBe(0);
	});
});

describe('mentions', () => {
	it('count apart the unread messages that mention the person, as the index keeps them (edits and deletions too)', () => {
		setup();
		const team = group();
		const store = new SyncStore(db);
		const message = (authorId: string, at: number, mentions: string[]) => ({ key: `${authorId}:${at}`, authorId, createdAt: at, text: 'hi', mentions });
		const counts = (who: string) => {
			const room = rooms.listForUser(who).find((r) => r.id === team)!;
			return [room.unread, room.mentions];
		};
		clock += HOUR;
		store.indexMessages(team, [message('owner', clock - 3, ['member']), message('admin', clock - 2, []), message('member', clock - 1, ['member', 'other'])], []);
		expect(counts('member')).toEqual([2, 1]);
		expect(counts('other')).toEqual([3, 1]);
		// An edit that takes the mention away, and one that adds it.
		store.indexMessages(team, [], [], [message('owner', clock - 3, []), message('admin', clock - 2, ['member'])]);
		expect(counts('member')).toEqual([2, 1]);
		store.indexMessages(team, [], [`admin:${clock - 2}`]);
		expect(counts('member')).toEqual([1, 0]);
		rooms.markRead('other', team);
		expect(counts('other')).toEqual([0, 0]);
	});

	it('notification levels are kept per member, "all" until changed', () => {
		const team = group();
		expect(rooms.get('member', team).myNotifications).toBe('all');
		rooms.setNotifications('member', team, 'mentions');
		expect(rooms.get('member', team).myNotifications).toBe('mentions');
		expect(rooms.get('other', team).myNotifications).toBe('all');
		expect(rooms.notificationLevels(team).get('member')).toBe('mentions');
		expect(failure(() => rooms.setNotifications('outsider', team, 'none')).status).toBe(404);
	});
});

describe('room list preview', () => {
	it("shows each room's newest message as one line, following edits and deletions, mentions as current names", () => {
		const team = group();
		const store = new SyncStore(db);
		const preview = () => rooms.listForUser('member').find((r) => r.id === team)!.preview;
		expect(preview()).toBeNull();
		const message = (authorId: string, at: number, text: string, mentions: string[] = []) => ({ key: `${authorId}:${at}`, authorId, createdAt: at, text, mentions });
		store.indexMessages(team, [message('owner', clock - 2, 'first'), message('admin', clock - 1, '> quoted\n\n**Hi** <@member>,\n  see   this')], []);
		db.prepare("update user set name = 'Mia' where id = 'member'").run();
		expect(preview()).toEqual({ authorId: 'admin', authorName: 'admin', at: clock - 1, text: 'quoted **Hi** @Mia, see this' });
		store.indexMessages(team, [], [], [message('admin', clock - 1, 'x'.repeat(500))]);
		expect(preview()!.text).toBe(`${'x'.repeat(119)}…`);
		// The newest goes: the one before it shows again.
		store.indexMessages(team, [], [`admin:${clock - 1}`]);
		expect(preview()).toMatchObject({ authorId: 'owner', text: 'first' });
		// Only files: no text, and the list says so itself.
		store.indexMessages(team, [message('other', clock, '')], []);
		expect(preview()).toMatchObject({ authorId: 'other', text: '' });
	});
});

describe('history', () => {
	it('splits the history of every new room, group or direct, by month', () => {
		setup();
		const team = rooms.create('owner', { name: 'Team' }).id;
		const direct = rooms.direct('owner', 'other').room.id;
		const history = (id: string) => (db.prepare('select history from room where id = ?').get(id) as { history: string }).history;
		expect([history(team), history(direct)]).toEqual(['monthly', 'monthly']);
	});
});

describe('creating rooms', () => {
	it('makes the creator the owner and invites the chosen people, who are not members until they accept', () => {
		const room = rooms.create('owner', { name: 'Team', memberIds: ['member', 'member', 'owner'] });
		expect(room.myRole).toBe('owner');
		expect(room.members.map((m) => [m.userId, m.role])).toEqual([['owner', 'owner']]);
		expect(room.invited).toEqual([{ userId: 'member', name: 'member', invitedBy: 'owner', invitedAt: clock }]);
		expect(rooms.memberIds(room.id)).toEqual(['owner']);
		expect(failure(() => rooms.get('member', room.id)).status).toBe(404);
		expect(rooms.listForUser('member')).toEqual([]);
		expect(changes).toEqual([
			{ roomId: room.id, kind: 'created', notify: ['owner'], revoked: [] },
			{ roomId: room.id, kind: 'invited', notify: ['owner', 'member'], revoked: [] }
		]);
	});

	it('refuses unknown people and more members than the limit', () => {
		expect(failure(() => rooms.create('owner', { name: 'x', memberIds: ['ghost'] })).status).toBe(400);
		setup({ memberLimit: 2 });
		expect(failure(() => rooms.create('owner', { name: 'x', memberIds: ['admin', 'member'] })).message).toMatch(/at most 2 members/);
	});

	it('is rate limited per person', () => {
		setup({ createPerHour: 2 });
		rooms.create('owner', { name: 'a' });
		rooms.create('owner', { name: 'b' });
		expect(failure(() => rooms.create('owner', { name: 'c' })).status).toBe(429);
		rooms.create('admin', { name: 'mine' });
		clock += HOUR + 1;
		expect(rooms.create('owner', { name: 'c' }).name).toBe('c');
	});
});

describe('direct rooms', () => {
	it('are created once per pair, whoever starts them, and named after the other person', () => {
		const first = rooms.direct('owner', 'member');
		const again = rooms.direct('member', 'owner');
		expect(first.created).toBe(true);
		expect(again.created).toBe(false);
		expect(again.room.id).toBe(first.room.id);
		expect(first.room.name).toBe('member');
		expect(again.room.name).toBe('owner');
		expect(rooms.listForUser('member').map((r) => [r.kind, r.name])).toEqual([['direct', 'owner']]);
		// The other person's id, so their avatar's colour is the room's; a group has none.
		expect(rooms.listForUser('member').map((r) => r.peerId)).toEqual(['owner']);
		expect(rooms.listForUser('owner').map((r) => r.peerId)).toEqual(['member']);
	});

	it('need another, existing person and take no extra members or invites', () => {
		expect(failure(() => rooms.direct('owner', 'owner')).status).toBe(400);
		expect(failure(() => rooms.direct('owner', 'ghost')).status).toBe(400);
		const { room } = rooms.direct('owner', 'member');
		expect(failure(() => rooms.addMember('owner', room.id, 'other')).status).toBe(403);
		expect(failure(() => rooms.inviteLinks.create('owner', room.id, {}, ORIGIN)).status).toBe(403);
	});
});

describe('consent: being added is an invitation', () => {
	it('adding someone invites them; they are no member (no room, no members list) until they accept', () => {
		const id = group();
		rooms.addMember('admin', id, 'outsider');
		expect(changes.at(-1)).toMatchObject({ kind: 'invited', notify: expect.arrayContaining(['outsider', 'owner']) });
		expect(rooms.memberIds(id)).not.toContain('outsider');
		expect(failure(() => rooms.get('outsider', id)).status).toBe(404);
		expect(rooms.invitationsFor('outsider')).toEqual([{ roomId: id, kind: 'group', roomName: 'Team', inviterId: 'admin', inviterName: 'admin', invitedAt: clock }]);
		expect(rooms.get('member', id).invited.map((p) => p.userId)).toEqual(['outsider']);

		const room = rooms.acceptInvitation('outsider', id);
		expect(room.myRole).toBe('member');
		expect(room.invited).toEqual([]);
		expect(rooms.memberIds(id)).toContain('outsider');
		expect(changes.at(-1)).toMatchObject({ kind: 'member-added' });
		expect(rooms.invitationsFor('outsider')).toEqual([]);
		expect(failure(() => rooms.acceptInvitation('outsider', id)).status).toBe(404);
	});

	it('declining removes the invitation; the inviter or a manager can cancel it, other members cannot', () => {
		const id = group();
		rooms.addMember('admin', id, 'outsider');
		rooms.cancelInvitation('outsider', id, 'outsider');
		expect(changes.at(-1)).toMatchObject({ kind: 'invitation-ended', notify: expect.arrayContaining(['outsider', 'admin']) });
		expect(rooms.invitationsFor('outsider')).toEqual([]);
		expect(failure(() => rooms.acceptInvitation('outsider', id)).status).toBe(404);

		rooms.addMember('admin', id, 'outsider');
		expect(failure(() => rooms.cancelInvitation('member', id, 'outsider')).status).toBe(403);
		expect(failure(() => rooms.cancelInvitation('outsider2', id, 'outsider')).status).toBe(404);
		rooms.cancelInvitation('owner', id, 'outsider');
		expect(rooms.get('owner', id).invited).toEqual([]);
		expect(failure(() => rooms.cancelInvitation('owner', id, 'outsider')).status).toBe(404);
	});

	it('counts invited people against the member limit, and checks it again on accepting', () => {
		setup({ memberLimit: 5 });
		const id = group();
		rooms.addMember('owner', id, 'outsider');
		addUser('late');
		expect(failure(() => rooms.addMember('owner', id, 'late')).message).toMatch(/full/);
	});

	it('a direct room is a request the other person accepts; until then it is not theirs', () => {
		const { room } = rooms.direct('owner', 'member');
		expect(room.members.map((m) => m.userId)).toEqual(['owner']);
		expect(room.invited.map((p) => p.userId)).toEqual(['member']);
		expect(room.name).toBe('member');
		expect(rooms.listForUser('owner').map((r) => r.name)).toEqual(['member']);
		expect(rooms.listForUser('member')).toEqual([]);
		expect(failure(() => rooms.get('member', room.id)).status).toBe(404);
		expect(rooms.invitationsFor('member')).toMatchObject([{ roomId: room.id, kind: 'direct', inviterName: 'owner' }]);
		expect(rooms.acceptInvitation('member', room.id).members.map((m) => m.userId).sort()).toEqual(['member', 'owner']);
	});

	it('a declined direct request can be sent again', () => {
		const { room } = rooms.direct('owner', 'member');
		rooms.cancelInvitation('member', room.id, 'member');
		expect(rooms.direct('owner', 'member').room.invited.map((p) => p.userId)).toEqual(['member']);
	});
});

describe('direct rooms after leaving', () => {
	it('reopen after either person left: the one reopening is back in, the other is asked again', () => {
		const { room } = rooms.direct('owner', 'member');
		rooms.acceptInvitation('member', room.id);
		rooms.removeMember('member', room.id, 'member');
		expect(failure(() => rooms.get('member', room.id)).status).toBe(404);

		// The one who left opens it again: they re-join; the other is still in it.
		const back = rooms.direct('member', 'owner');
		expect(back.room.id).toBe(room.id);
		expect(back.room.members.map((m) => m.userId).sort()).toEqual(['member', 'owner']);

		// The one who stayed opens it after the other left: the other gets a request again.
		rooms.removeMember('member', room.id, 'member');
		const again = rooms.direct('owner', 'member');
		expect(again.room.invited.map((p) => p.userId)).toEqual(['member']);
		expect(rooms.acceptInvitation('member', room.id).members).toHaveLength(2);
	});

	it('reopen after both left', () => {
		const { room } = rooms.direct('owner', 'member');
		rooms.acceptInvitation('member', room.id);
		rooms.removeMember('member', room.id, 'member');
		rooms.removeMember('owner', room.id, 'owner');
		const reopened = rooms.direct('member', 'owner');
		expect(reopened.room.id).toBe(room.id);
		expect(reopened.room.members.map((m) => m.userId)).toEqual(['member']);
		expect(reopened.room.invited.map((m) => m.userId)).toEqual(['owner']);
	});

	it('leaving before the other accepted withdraws the request', () => {
		const { room } = rooms.direct('owner', 'member');
		rooms.removeMember('owner', room.id, 'owner');
		expect(rooms.invitationsFor('member')).toEqual([]);
	});
});

describe('blocking', () => {
	it('keeps a blocked person from inviting, adding or opening a direct room with the blocker', () => {
		const id = group();
		rooms.people.block('outsider', 'admin');
		expect(failure(() => rooms.addMember('admin', id, 'outsider')).status).toBe(403);
		expect(failure(() => rooms.create('admin', { name: 'x', memberIds: ['outsider'] })).status).toBe(403);
		expect(failure(() => rooms.direct('admin', 'outsider')).status).toBe(403);
		expect(failure(() => rooms.direct('outsider', 'admin')).message).toMatch(/Unblock/);
		// Others in the room still may.
		expect(rooms.addMember('owner', id, 'outsider').invitedBy).toBe('owner');
		expect(rooms.blocks.notBlocking('admin', ['outsider', 'member'])).toEqual(['member']);
	});

	it('withdraws their pending invitations and takes them out of the direct room between the two', () => {
		const id = group();
		rooms.addMember('admin', id, 'outsider');
		const { room } = rooms.direct('admin', 'outsider');
		rooms.acceptInvitation('outsider', room.id);
		rooms.people.block('outsider', 'admin');
		expect(rooms.invitationsFor('outsider')).toEqual([]);
		expect(failure(() => rooms.get('admin', room.id)).status).toBe(404);
		expect(changes.at(-1)).toMatchObject({ roomId: room.id, kind: 'member-removed', revoked: ['admin'] });
		expect(rooms.get('outsider', room.id).members.map((m) => m.userId)).toEqual(['outsider']);
	});

	it('hides the two from each other in user search, and is undone by unblocking', () => {
		rooms.people.block('owner', 'other');
		expect(rooms.people.search('other', 'owner')).toEqual([]);
		expect(rooms.people.search('owner', 'other')).toEqual([]);
		expect(rooms.people.search('other', 'owner@parley.test')).toEqual([]);
		expect(rooms.blocks.list('owner')).toEqual([{ userId: 'other', name: 'other', blockedAt: clock }]);
		rooms.people.unblock('owner', 'other');
		expect(failure(() => rooms.people.unblock('owner', 'other')).status).toBe(404);
		expect(rooms.people.search('other', 'owner').map((u) => u.id)).toEqual(['owner']);
		expect(rooms.direct('other', 'owner').created).toBe(true);
		expect(failure(() => rooms.people.block('owner', 'owner')).status).toBe(400);
	});
});

describe('bans', () => {
	it('a removed and banned member cannot come back through any invite link until the ban is lifted', () => {
		const id = group();
		const { token } = rooms.inviteLinks.create('owner', id, {}, ORIGIN);
		rooms.inviteLinks.accept('outsider', token);
		rooms.removeMember('admin', id, 'outsider', { ban: true });
		expect(rooms.get('admin', id).bans).toEqual([{ userId: 'outsider', name: 'outsider', bannedAt: clock }]);
		expect(rooms.get('member', id).bans).toEqual([]);
		expect(rooms.inviteLinks.info('outsider', token)).toMatchObject({ valid: false, reason: 'banned' });
		expect(failure(() => rooms.inviteLinks.accept('outsider', token))).toMatchObject({ status: 403, message: expect.stringMatching(/banned/) });
		const fresh = rooms.inviteLinks.create('owner', id, {}, ORIGIN);
		expect(failure(() => rooms.inviteLinks.accept('outsider', fresh.token)).status).toBe(403);
		expect(failure(() => rooms.addMember('owner', id, 'outsider')).message).toMatch(/banned/);

		expect(failure(() => rooms.liftBan('member', id, 'outsider')).status).toBe(403);
		rooms.liftBan('admin', id, 'outsider');
		expect(failure(() => rooms.liftBan('admin', id, 'outsider')).status).toBe(404);
		expect(rooms.inviteLinks.accept('outsider', token).alreadyMember).toBe(false);
	});

	it('a plain removal does not ban, and nobody bans themselves', () => {
		const id = group();
		rooms.removeMember('owner', id, 'other');
		expect(rooms.get('owner', id).bans).toEqual([]);
		expect(failure(() => rooms.removeMember('member', id, 'member', { ban: true })).status).toBe(400);
		expect(failure(() => rooms.removeMember('member', id, 'admin', { ban: true })).status).toBe(403);
	});
});

describe('listing my rooms', () => {
	it('orders by last activity with my role and the member count', () => {
		const a = rooms.create('owner', { name: 'A' }).id;
		clock += 1000;
		const b = createRoomWithMembers(rooms, 'owner', { name: 'B', memberIds: ['member'] }).id;
		clock += 1000;
		addAcceptedMember(rooms, 'owner', a, 'admin');
		expect(rooms.listForUser('owner').map((r) => [r.id, r.role, r.memberCount])).toEqual([
			[a, 'owner', 2],
			[b, 'owner', 2]
		]);
		expect(rooms.listForUser('member').map((r) => [r.id, r.role])).toEqual([[b, 'member']]);
	});
});

describe('who may do what', () => {
	it('hides a room from non-members as not found', () => {
		const id = group();
		for (const call of [
			() => rooms.get('outsider', id),
			() => rooms.rename('outsider', id, 'x'),
			() => rooms.delete('outsider', id),
			() => rooms.addMember('outsider', id, 'outsider'),
			() => rooms.inviteLinks.create('outsider', id, {}, ORIGIN)
		]) {
			expect(failure(call).status).toBe(404);
		}
	});

	it('lets owners and admins rename and add people, not members', () => {
		const id = group();
		expect(rooms.rename('admin', id, 'Renamed').name).toBe('Renamed');
		expect(failure(() => rooms.rename('member', id, 'x')).status).toBe(403);
		expect(rooms.addMember('admin', id, 'outsider').invitedBy).toBe('admin');
		expect(failure(() => rooms.addMember('owner', id, 'outsider')).message).toMatch(/already invited/);
		expect(failure(() => rooms.addMember('owner', id, 'member')).message).toMatch(/already a member/);
		expect(failure(() => rooms.addMember('member', id, 'outsider')).status).toBe(403);
	});

	it('lets only the owner delete the room, and tells every member', async () => {
		const id = group();
		expect(failure(() => rooms.delete('admin', id)).status).toBe(403);
		await rooms.delete('owner', id);
		expect(changes.at(-1)).toMatchObject({ kind: 'deleted', revoked: ['owner', 'admin', 'member', 'other'].sort() });
		expect(failure(() => rooms.get('owner', id)).status).toBe(404);
	});

	it('lets admins remove members but not the owner or another admin', () => {
		const id = group();
		addAcceptedMember(rooms, 'owner', id, 'outsider');
		rooms.changeRole('owner', id, 'outsider', 'admin');
		expect(failure(() => rooms.removeMember('admin', id, 'owner')).status).toBe(403);
		expect(failure(() => rooms.removeMember('admin', id, 'outsider')).status).toBe(403);
		rooms.removeMember('admin', id, 'member');
		expect(changes.at(-1)).toMatchObject({ kind: 'member-removed', revoked: ['member'] });
		expect(changes.at(-1)!.notify).toContain('member');
		expect(failure(() => rooms.get('member', id)).status).toBe(404);
	});

	it('lets the owner remove an admin, and members only themselves', () => {
		const id = group();
		expect(failure(() => rooms.removeMember('member', id, 'other')).status).toBe(403);
		rooms.removeMember('member', id, 'member');
		rooms.removeMember('owner', id, 'admin');
		expect(rooms.get('owner', id).members.map((m) => m.userId)).toEqual(['owner', 'other']);
	});

	it('keeps the owner until ownership is handed over', () => {
		const id = group();
		expect(failure(() => rooms.removeMember('owner', id, 'owner')).message).toMatch(/Make someone else the owner/);
		expect(failure(() => rooms.changeRole('owner', id, 'owner', 'admin')).status).toBe(409);
	});

	it('lets only the owner change roles; handing over ownership makes the old owner an admin', () => {
		const id = group();
		expect(failure(() => rooms.changeRole('admin', id, 'member', 'admin')).status).toBe(403);
		const members = rooms.changeRole('owner', id, 'member', 'owner');
		const roles = Object.fromEntries(members.map((m) => [m.userId, m.role]));
		expect(roles).toEqual({ owner: 'admin', admin: 'admin', member: 'owner', other: 'member' });
		expect(members.filter((m) => m.role === 'owner')).toHaveLength(1);
		rooms.removeMember('owner', id, 'owner');
		expect(failure(() => rooms.delete('admin', id)).status).toBe(403);
	});
});

describe('invites', () => {
	it('have a random token of at least 128 bits and a link', () => {
		const id = group();
		const invite = rooms.inviteLinks.create('admin', id, {}, ORIGIN);
		expect(Buffer.from(invite.token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
		expect(invite.url).toBe(`${ORIGIN}/invite/${invite.token}`);
		expect(invite.expiresAt - clock).toBe(7 * 24 * HOUR);
		expect(failure(() => rooms.inviteLinks.create('member', id, {}, ORIGIN)).status).toBe(403);
	});

	it('let a new person join once, counting the use', () => {
		const id = group();
		const { token } = rooms.inviteLinks.create('owner', id, { maxUses: 1 }, ORIGIN);
		expect(rooms.inviteLinks.info('outsider', token)).toMatchObject({ roomId: id, roomName: 'Team', inviterName: 'owner', valid: true, alreadyMember: false });
		expect(rooms.inviteLinks.accept('outsider', token)).toEqual({ roomId: id, alreadyMember: false });
		expect(rooms.get('outsider', id).myRole).toBe('member');
		expect(changes.at(-1)).toMatchObject({ kind: 'member-added' });
	});

	it('are refused when expired', () => {
		const id = group();
		const { token } = rooms.inviteLinks.create('owner', id, { expiresInHours: 1 }, ORIGIN);
		clock += HOUR;
		expect(rooms.inviteLinks.info('outsider', token)).toMatchObject({ valid: false, reason: 'expired' });
		expect(failure(() => rooms.inviteLinks.accept('outsider', token))).toMatchObject({ status: 410, message: expect.stringMatching(/expired/) });
	});

	it('are refused when revoked, and disappear from the list', () => {
		const id = group();
		const { token } = rooms.inviteLinks.create('owner', id, {}, ORIGIN);
		expect(rooms.inviteLinks.list('admin', id, ORIGIN).map((i) => i.token)).toEqual([token]);
		expect(failure(() => rooms.inviteLinks.revoke('member', id, token)).status).toBe(403);
		rooms.inviteLinks.revoke('admin', id, token);
		expect(rooms.inviteLinks.list('owner', id, ORIGIN)).toEqual([]);
		expect(failure(() => rooms.inviteLinks.revoke('owner', id, token)).status).toBe(404);
		expect(failure(() => rooms.inviteLinks.accept('outsider', token))).toMatchObject({ status: 410, message: expect.stringMatching(/revoked/) });
	});

	it('are refused when used up', () => {
		const id = group();
		const { token } = rooms.inviteLinks.create('owner', id, { maxUses: 1 }, ORIGIN);
		addUser('late');
		rooms.inviteLinks.accept('outsider', token);
		expect(rooms.inviteLinks.info('late', token)).toMatchObject({ valid: false, reason: 'used-up' });
		expect(failure(() => rooms.inviteLinks.accept('late', token))).toMatchObject({ status: 410, message: expect.stringMatching(/used as many times/) });
	});

	it('are harmless for someone already a member, and do not count a use', () => {
		const id = group();
		const { token } = rooms.inviteLinks.create('owner', id, { maxUses: 1 }, ORIGIN);
		expect(rooms.inviteLinks.info('member', token).alreadyMember).toBe(true);
		expect(rooms.inviteLinks.accept('member', token)).toEqual({ roomId: id, alreadyMember: true });
		expect(rooms.inviteLinks.accept('outsider', token).alreadyMember).toBe(false);
	});

	it('are refused when the room is full', () => {
		setup({ memberLimit: 4 });
		const id = group();
		const { token } = rooms.inviteLinks.create('owner', id, {}, ORIGIN);
		expect(rooms.inviteLinks.info('outsider', token)).toMatchObject({ valid: false, reason: 'room-full' });
		expect(failure(() => rooms.inviteLinks.accept('outsider', token))).toMatchObject({ status: 409, message: expect.stringMatching(/full/) });
		expect(failure(() => rooms.addMember('owner', id, 'outsider')).status).toBe(409);
	});

	it('that do not exist are not found', () => {
		expect(failure(() => rooms.inviteLinks.info('outsider', 'nope')).status).toBe(404);
		expect(failure(() => rooms.inviteLinks.accept('outsider', 'nope')).status).toBe(404);
	});
});

describe('user search', () => {
	beforeEach(() => {
		addUser('ada', 'Ada Lovelace', 'ada@example.org');
		addUser('alan', 'Alan Turing', 'alan@example.org');
		addUser('grace', 'Grace Hopper', 'grace@example.org');
		addUser('pct', '100% Real', 'pct@example.org');
	});

	it('finds people by the start of their name or of any word in it, case-insensitively', () => {
		expect(rooms.people.search('owner', 'al').map((u) => u.id)).toEqual(['alan']);
		expect(rooms.people.search('owner', 'LOVE').map((u) => u.id)).toEqual(['ada']);
		expect(rooms.people.search('owner', 'ov')).toEqual([]);
	});

	it('folds case in Cyrillic too (SQLite alone folds only ASCII), reads ё as е, and sorts names as the language does', () => {
		addUser('anna', 'Анна Петрова');
		addUser('yozh', 'Ёжик Лесной');
		addUser('boris', 'борис Пётр');
		expect(rooms.people.search('owner', 'анна').map((u) => u.id)).toEqual(['anna']);
		expect(rooms.people.search('owner', 'ПЕТ').map((u) => u.id)).toEqual(['anna', 'boris']);
		expect(rooms.people.search('owner', 'еж').map((u) => u.id)).toEqual(['yozh']);
	});

	it('returns ids and names only, never emails, for a name search', () => {
		expect(rooms.people.search('owner', 'grace')).toEqual([{ id: 'grace', name: 'Grace Hopper' }]);
	});

	it('finds someone by exact email, with the email', () => {
		expect(rooms.people.search('owner', 'Ada@Example.org')).toEqual([{ id: 'ada', name: 'Ada Lovelace', email: 'ada@example.org' }]);
		expect(rooms.people.search('owner', 'ada@example')).toEqual([]);
	});

	it('treats % and _ literally and leaves out the searcher', () => {
		expect(rooms.people.search('owner', '10').map((u) => u.id)).toEqual(['pct']);
		expect(rooms.people.search('owner', '%')).toEqual([]);
		expect(rooms.people.search('ada', 'ada')).toEqual([]);
	});

	it('returns at most 20 people', () => {
		for (let i = 0; i < 30; i++) addUser(`sam${i}`, `Sam ${String(i).padStart(2, '0')}`);
		expect(rooms.people.search('owner', 'sam')).toHaveLength(20);
	});
});
