import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeTime, ulid } from 'ulid';
import { reactionKey } from './message-key.ts';
import { MAX_TEXT_LENGTH, MESSAGES, REACTIONS } from './schema.ts';
import { validateUpdate, viewOf, type StoredFile, type Verdict } from './validate-update.ts';

const NOW = Date.UTC(2026, 10, 21, 12);
let server: Y.Doc;
let owners: Map<number, string>;

/** A client document that starts from the server's state; returns it and a function giving what it changed. */
function clientOf(clientID?: number) {
	const doc = new Y.Doc();
	if (clientID !== undefined) doc.clientID = clientID;
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
	const before = Y.encodeStateVector(doc);
	return { doc, messages: doc.getMap(MESSAGES), reactions: doc.getMap(REACTIONS), diff: () => Y.encodeStateAsUpdate(doc, before) };
}

/** Files the server has for this room, by id. */
let files: Map<string, StoredFile>;

/** Who is a member of the room (only they can be mentioned). */
const MEMBERS = new Set(['alice', 'bob', 'carol']);

function check(update: Uint8Array, userId: string, canModerate = false): Verdict {
	return validateUpdate(update, {
		userId,
		canModerate,
		now: NOW,
		notBefore: 0,
		doc: viewOf(server),
		clientOwner: (c) => owners.get(c),
		fileRecord: (id) => files.get(id),
		isMember: (id) => MEMBERS.has(id)
	});
}

/** Applies an accepted update to the server, binding its clients to the sender. */
function accept(update: Uint8Array, userId: string) {
	const verdict = check(update, userId);
	if (!verdict.ok) throw new Error(verdict.reason);
	for (const c of verdict.clients) owners.set(c, userId);
	Y.applyUpdate(server, update);
}

// Plain (not monotonic) ULIDs, so one test's future-dated key does not shift the next ones.
const newMessageKey = (authorId: string, time: number) => `${authorId}:${ulid(time)}`;
const message = (key: string, text = 'hello', extra: object = {}) => ({ text, createdAt: decodeTime(key.split(':')[1]), ...extra });

/** Alice's message already on the server. */
let alicesKey: string;

beforeEach(() => {
	server = new Y.Doc();
	owners = new Map();
	files = new Map();
	const alice = clientOf(1);
	alicesKey = newMessageKey('alice', NOW - 60_000);
	alice.messages.set(alicesKey, message(alicesKey));
	accept(alice.diff(), 'alice');
});

describe('mentions', () => {
	const send = (text: string, mentions: unknown) => {
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, message(key, text, { mentions }));
		return check(bob.diff(), 'bob');
	};

	it('are accepted for members of the room whose token is in the text', () => {
		expect(send('hi <@alice> and <@carol>', ['alice', 'carol'])).toMatchObject({ ok: true });
	});

	it('of someone who is not a member are refused, whatever the text says', () => {
		expect(send('hi <@mallory>', ['mallory'])).toEqual({ ok: false, reason: 'a message can only mention members of the room' });
	});

	it('not in the text are refused: a mention cannot be hidden', () => {
		expect(send('hi everyone', ['alice'])).toEqual({ ok: false, reason: 'the text does not mention alice, which mentions lists' });
		expect(send('hi @alice', ['alice'])).toMatchObject({ ok: false });
	});

	it('are bounded, listed once each, and must be user ids', () => {
		expect(send('<@alice> <@alice>', ['alice', 'alice'])).toEqual({ ok: false, reason: 'mentions must name each person once' });
		expect(send('hi', [])).toMatchObject({ ok: false });
		expect(send('<@a b>', ['a b'])).toMatchObject({ ok: false, reason: expect.stringContaining('a mention must be a user id') });
		const many = Array.from({ length: 21 }, (_, i) => `p${i}`);
		expect(send(many.map((id) => `<@${id}>`).join(' '), many)).toMatchObject({ ok: false, reason: expect.stringContaining('at most 20 people') });
	});

	it('are refused when the server cannot tell who is a member', () => {
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, message(key, 'hi <@alice>', { mentions: ['alice'] }));
		const verdict = validateUpdate(bob.diff(), { userId: 'bob', canModerate: false, now: NOW, notBefore: 0, doc: viewOf(server), clientOwner: (c) => owners.get(c) });
		expect(verdict).toEqual({ ok: false, reason: 'a message can only mention members of the room' });
	});

	it('are checked again when a message is edited', () => {
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, message(key, 'hi <@alice>', { mentions: ['alice'] }));
		accept(bob.diff(), 'bob');
		const edit = clientOf(3);
		edit.messages.set(key, message(key, 'hi <@mallory>', { mentions: ['mallory'], editedAt: NOW }));
		expect(check(edit.diff(), 'bob')).toEqual({ ok: false, reason: 'a message can only mention members of the room' });
	});
});

describe('new messages', () => {
	it('are accepted under the sender’s own id', () => {
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, message(key, 'hi Alice'));
		expect(check(bob.diff(), 'bob')).toEqual({ ok: true, clients: [2], changes: true, claims: [] });
	});

	it('are rejected under someone else’s id (forged author)', () => {
		const mallory = clientOf(3);
		const key = newMessageKey('alice', NOW);
		mallory.messages.set(key, message(key, 'I am Alice'));
		expect(check(mallory.diff(), 'mallory')).toEqual({ ok: false, reason: 'you can only write messages under your own user id' });
	});

	it('up to 4,000 characters are accepted; longer are rejected', () => {
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, message(key, 'x'.repeat(MAX_TEXT_LENGTH)));
		expect(check(bob.diff(), 'bob').ok).toBe(true);
		const long = clientOf(4);
		const key2 = newMessageKey('bob', NOW);
		long.messages.set(key2, message(key2, 'x'.repeat(MAX_TEXT_LENGTH + 1)));
		expect(check(long.diff(), 'bob')).toMatchObject({ ok: false, reason: expect.stringMatching(/longer than 4000/) });
	});

	it('dated up to 5 minutes ahead are accepted (clock drift); further ahead are rejected', () => {
		const bob = clientOf(2);
		const soon = newMessageKey('bob', NOW + 4 * 60_000);
		bob.messages.set(soon, message(soon));
		expect(check(bob.diff(), 'bob').ok).toBe(true);
		const later = clientOf(5);
		const future = newMessageKey('bob', NOW + 6 * 60_000);
		later.messages.set(future, message(future));
		expect(check(later.diff(), 'bob')).toMatchObject({ ok: false, reason: expect.stringMatching(/future/) });
	});

	it('with a valid reply are accepted; with extra fields, a wrong createdAt or a bad reply are rejected', () => {
		const cases: [object, boolean][] = [
			[{ replyTo: alicesKey }, true],
			[{ replyTo: 'nope' }, false],
			[{ html: '<b>x</b>' }, false],
			[{ createdAt: 1 }, false]
		];
		for (const [extra, ok] of cases) {
			const bob = clientOf();
			const key = newMessageKey('bob', NOW);
			bob.messages.set(key, message(key, 'text', extra));
			expect(check(bob.diff(), 'bob').ok, JSON.stringify(extra)).toBe(ok);
		}
	});

	it('with a key that is not <authorId>:<ulid> are rejected', () => {
		const bob = clientOf(2);
		bob.messages.set('bob:1', { text: 'x', createdAt: NOW });
		expect(check(bob.diff(), 'bob')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a message key/) });
	});
});

describe('edits', () => {
	it('of one’s own message are accepted', () => {
		const alice = clientOf(1);
		alice.messages.set(alicesKey, message(alicesKey, 'hello, edited', { editedAt: NOW }));
		expect(check(alice.diff(), 'alice').ok).toBe(true);
	});

	it('of someone else’s message are rejected, even for moderators', () => {
		const bob = clientOf(2);
		bob.messages.set(alicesKey, message(alicesKey, 'Alice says something else', { editedAt: NOW }));
		expect(check(bob.diff(), 'bob')).toMatchObject({ ok: false });
		expect(check(bob.diff(), 'bob', true)).toMatchObject({ ok: false });
	});
});

describe('deletions', () => {
	it('of one’s own message are accepted', () => {
		const alice = clientOf(1);
		alice.messages.delete(alicesKey);
		expect(check(alice.diff(), 'alice').ok).toBe(true);
	});

	it('of someone else’s message are rejected', () => {
		const bob = clientOf(2);
		bob.messages.delete(alicesKey);
		expect(check(bob.diff(), 'bob')).toEqual({ ok: false, reason: 'you can only delete your own messages and reactions' });
	});

	it('of someone else’s message are accepted from an owner or admin (moderation)', () => {
		const admin = clientOf(2);
		admin.messages.delete(alicesKey);
		expect(check(admin.diff(), 'bob', true).ok).toBe(true);
	});

	it('of content the server does not have are rejected', () => {
		const ghost = new Y.Doc();
		ghost.getMap(MESSAGES).set('x', 1);
		const ds = new Y.Doc();
		Y.applyUpdate(ds, Y.encodeStateAsUpdate(ghost));
		ds.getMap(MESSAGES).delete('x');
		const deleteOnly = Y.encodeStateAsUpdate(ds, Y.encodeStateVector(ghost));
		expect(check(deleteOnly, 'bob')).toMatchObject({ ok: false, reason: expect.stringMatching(/does not have/) });
	});
});

describe('reactions', () => {
	it('as oneself are accepted; as someone else are rejected', () => {
		const bob = clientOf(2);
		bob.reactions.set(reactionKey(alicesKey, 'bob', '👍'), { at: NOW });
		expect(check(bob.diff(), 'bob').ok).toBe(true);
		const mallory = clientOf(3);
		mallory.reactions.set(reactionKey(alicesKey, 'alice', '👎'), { at: NOW });
		expect(check(mallory.diff(), 'mallory')).toMatchObject({ ok: false, reason: 'you can only react as yourself' });
	});
});

describe('documents of a room split by month', () => {
	const inPeriod = (update: Uint8Array, userId: string, period: string | null) =>
		validateUpdate(update, { userId, canModerate: false, now: NOW, notBefore: 0, doc: viewOf(server), clientOwner: (c) => owners.get(c), period });

	it('take the messages, edits and reactions of their own month only', () => {
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, message(key));
		bob.reactions.set(reactionKey(alicesKey, 'bob', '👍'), { at: NOW });
		const update = bob.diff();
		expect(inPeriod(update, 'bob', '2026-11')).toMatchObject({ ok: true });
		expect(inPeriod(update, 'bob', '2026-10')).toMatchObject({ ok: false, reason: expect.stringMatching(/another month than 2026-10/) });
	});

	it('refuse a message dated in another month, even one second over the boundary', () => {
		const bob = clientOf(2);
		const key = newMessageKey('bob', Date.UTC(2026, 10, 1) - 1000);
		bob.messages.set(key, message(key));
		expect(inPeriod(bob.diff(), 'bob', '2026-11')).toMatchObject({ ok: false, reason: expect.stringMatching(/another month/) });
		expect(inPeriod(bob.diff(), 'bob', '2026-10')).toMatchObject({ ok: true });
	});

	it('the main document of such a room takes no messages or reactions', () => {
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, message(key));
		expect(inPeriod(bob.diff(), 'bob', null)).toMatchObject({ ok: false, reason: expect.stringMatching(/main one/) });
	});
});

describe('document shape', () => {
	it('nested Yjs types are rejected', () => {
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, new Y.Map());
		expect(check(bob.diff(), 'bob')).toMatchObject({ ok: false, reason: expect.stringMatching(/nested/) });
	});

	it('unknown roots are rejected', () => {
		const bob = clientOf(2);
		bob.doc.getMap('admin').set('bob:x', 1);
		expect(check(bob.diff(), 'bob')).toMatchObject({ ok: false, reason: 'unknown part of the document "admin"' });
	});

	it('a root used as a list is rejected', () => {
		const doc = new Y.Doc();
		doc.getArray(MESSAGES).push(['x']);
		expect(check(Y.encodeStateAsUpdate(doc), 'bob')).toMatchObject({ ok: false, reason: '"messages" must be used as a map' });
	});

	it('writing with another person’s client id is rejected', () => {
		// A fresh document that claims Alice's client id (Yjs would pick a new id on seeing the clash).
		const mallory = new Y.Doc();
		mallory.clientID = 1;
		for (const time of [NOW, NOW + 1]) {
			const key = newMessageKey('mallory', time);
			mallory.getMap(MESSAGES).set(key, message(key));
		}
		// Clock 0 is Alice's message, which the server already has and would skip; clock 1 is new.
		expect(check(Y.encodeStateAsUpdate(mallory), 'mallory')).toEqual({ ok: false, reason: 'client id 1 belongs to another person' });
	});

	it('an update that skips earlier changes of its client is rejected until the client syncs', () => {
		const bob = clientOf(2);
		const first = newMessageKey('bob', NOW);
		bob.messages.set(first, message(first));
		const before = Y.encodeStateVector(bob.doc);
		const second = newMessageKey('bob', NOW + 1);
		bob.messages.set(second, message(second));
		const onlySecond = Y.encodeStateAsUpdate(bob.doc, before);
		expect(check(onlySecond, 'bob')).toEqual({ ok: false, reason: 'the update is missing earlier changes; sync first' });
		expect(check(bob.diff(), 'bob').ok).toBe(true);
	});

	it('deletions the server already has are accepted from anyone (updates carry the whole delete set)', () => {
		const alice = clientOf(1);
		alice.messages.delete(alicesKey);
		accept(alice.diff(), 'alice');
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, message(key));
		expect(check(Y.encodeStateAsUpdate(bob.doc, Y.encodeStateVector(server)), 'bob').ok).toBe(true);
	});

	it('random bytes are rejected', () => {
		const bytes = new Uint8Array(64).map((_, i) => (i * 37 + 11) % 256);
		expect(check(bytes, 'bob')).toMatchObject({ ok: false });
	});

	it('an update over 256 KB is rejected; many messages under it are accepted', () => {
		const bob = clientOf(2);
		bob.doc.transact(() => {
			for (let i = 0; i < 60; i++) {
				const key = newMessageKey('bob', NOW);
				bob.messages.set(key, message(key, 'y'.repeat(4000)));
			}
		});
		expect(check(bob.diff(), 'bob').ok).toBe(true);
		const big = clientOf(6);
		big.doc.transact(() => {
			for (let i = 0; i < 70; i++) {
				const key = newMessageKey('bob', NOW);
				big.messages.set(key, message(key, 'y'.repeat(4000)));
			}
		});
		expect(check(big.diff(), 'bob')).toMatchObject({ ok: false, reason: expect.stringMatching(/limit is 262144 bytes/) });
	});

	it('an offline burst of sends, edits and deletes of one’s own messages is accepted as one update', () => {
		const bob = clientOf(2);
		const keys = Array.from({ length: 5 }, () => newMessageKey('bob', NOW));
		for (const key of keys) bob.messages.set(key, message(key));
		bob.messages.set(keys[0], message(keys[0], 'edited', { editedAt: NOW }));
		bob.messages.delete(keys[1]);
		bob.reactions.set(reactionKey(keys[2], 'bob', '🎉'), { at: NOW });
		bob.reactions.delete(reactionKey(keys[2], 'bob', '🎉'));
		expect(check(bob.diff(), 'bob').ok).toBe(true);
	});
});

describe('attachments', () => {
	const PHOTO_ID = '0b7f7c52-5a36-4c1b-9a62-3f1d2c4b5a69';
	const photo = { id: PHOTO_ID, hash: 'a'.repeat(64), name: 'beach.jpg', size: 51_234, type: 'image/jpeg', width: 1200, height: 800, thumb: true as const };
	const stored = (extra: Partial<StoredFile> = {}): StoredFile => ({
		uploaderId: 'bob',
		hash: photo.hash,
		size: photo.size,
		type: photo.type,
		name: photo.name,
		width: 1200,
		height: 800,
		thumbHash: 'b'.repeat(64),
		messageKey: null,
		...extra
	});
	const send = (userId: string, value: (key: string) => object) => {
		const doc = clientOf(userId === 'bob' ? 2 : 3);
		const key = newMessageKey(userId, NOW);
		doc.messages.set(key, value(key));
		return { key, verdict: check(doc.diff(), userId) };
	};

	it('are accepted when they describe a file the sender uploaded to this room, and are claimed for the message', () => {
		files.set(PHOTO_ID, stored());
		const { key, verdict } = send('bob', (k) => message(k, '', { files: [photo] }));
		expect(verdict).toEqual({ ok: true, clients: [2], changes: true, claims: [{ fileId: PHOTO_ID, messageKey: key }] });
	});

	it('are refused for a file the room does not have (another room’s file reads as missing)', () => {
		expect(send('bob', (k) => message(k, 'look', { files: [photo] })).verdict).toEqual({ ok: false, reason: 'the message attaches a file the server does not have' });
	});

	it('are refused for someone else’s upload, for a file already attached to another message, and for a description that does not match', () => {
		files.set(PHOTO_ID, stored({ uploaderId: 'alice' }));
		expect(send('bob', (k) => message(k, '', { files: [photo] })).verdict).toMatchObject({ ok: false, reason: 'you can only attach files you uploaded' });
		files.set(PHOTO_ID, stored({ messageKey: alicesKey }));
		expect(send('bob', (k) => message(k, '', { files: [photo] })).verdict).toMatchObject({ ok: false, reason: 'a file can be attached to one message only' });
		files.set(PHOTO_ID, stored());
		for (const lie of [{ size: 1 }, { type: 'text/html' }, { name: 'other.jpg' }, { width: 10 }, { thumb: undefined }, { hash: 'c'.repeat(64) }]) {
			expect(send('bob', (k) => message(k, '', { files: [{ ...photo, ...lie }] })).verdict).toMatchObject({ ok: false, reason: 'the attachment does not match the stored file' });
		}
		expect(send('bob', (k) => message(k, '', { files: [{ ...photo, voice: true }] })).verdict).toMatchObject({ ok: false, reason: 'a voice message must be audio' });
	});

	it('cannot attach one file to two messages in one update', () => {
		files.set(PHOTO_ID, stored());
		const bob = clientOf(2);
		for (const time of [NOW, NOW + 1]) {
			const key = newMessageKey('bob', time);
			bob.messages.set(key, message(key, '', { files: [photo] }));
		}
		expect(check(bob.diff(), 'bob')).toMatchObject({ ok: false, reason: 'a file can be attached to one message only' });
	});

	it('may be kept when the message is edited', () => {
		files.set(PHOTO_ID, stored());
		const bob = clientOf(2);
		const key = newMessageKey('bob', NOW);
		bob.messages.set(key, message(key, '', { files: [photo] }));
		accept(bob.diff(), 'bob');
		files.set(PHOTO_ID, stored({ messageKey: key }));
		const edit = clientOf(2);
		edit.messages.set(key, message(key, 'the beach', { files: [photo], editedAt: NOW }));
		expect(check(edit.diff(), 'bob')).toMatchObject({ ok: true, claims: [{ fileId: PHOTO_ID, messageKey: key }] });
	});

	it('are checked for shape: at most 10, a real id and hash, no extra fields; a message needs text or a file', () => {
		files.set(PHOTO_ID, stored());
		expect(send('bob', (k) => message(k, '', { files: Array(11).fill(photo) })).verdict).toMatchObject({ ok: false, reason: expect.stringContaining('at most 10 files') });
		expect(send('bob', (k) => message(k, '', { files: [{ ...photo, id: '../etc/passwd' }] })).verdict).toMatchObject({ ok: false, reason: expect.stringContaining('files.0.id') });
		expect(send('bob', (k) => message(k, '', { files: [{ ...photo, url: 'https://evil.example/x.jpg' }] })).verdict).toMatchObject({ ok: false, reason: expect.stringContaining('invalid message') });
		expect(send('bob', (k) => message(k, '', { files: [] })).verdict).toMatchObject({ ok: false });
		expect(send('bob', (k) => message(k, '')).verdict).toMatchObject({ ok: false, reason: expect.stringContaining('a message needs text or a file') });
	});
});
