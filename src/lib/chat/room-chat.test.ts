import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH, MESSAGES, REACTIONS } from '../core/chat/schema.ts';
import { RoomChat } from './room-chat.svelte.ts';
import type { RoomConnection } from './room-connection.ts';

/** A RoomChat over a real Y.Doc and awareness, with no network: what it writes is what it would send. */
function chatOf(userId: string) {
	const doc = new Y.Doc();
	const connection = {
		doc,
		provider: { awareness: new Awareness(doc) },
		status: 'connected',
		closedReason: null,
		lastRefusal: null,
		loaded: Promise.resolve(),
		onChange: () => () => {},
		serverHas: () => false
	} as unknown as RoomConnection;
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	return { chat: new RoomChat(connection, userId), doc, updates };
}

describe('RoomChat writes only what the server accepts', () => {
	it('sends, edits and reacts under the shared rules', () => {
		const { chat, doc } = chatOf('ann');
		const key = chat.send('  hello  ')!;
		expect(doc.getMap(MESSAGES).get(key)).toMatchObject({ text: 'hello' });
		expect(chat.edit(key, 'hello again')).toBe(true);
		expect(doc.getMap(MESSAGES).get(key)).toMatchObject({ text: 'hello again', editedAt: expect.any(Number) });
		chat.toggleReaction(key, '👍');
		expect([...doc.getMap(REACTIONS).keys()]).toEqual([`${key}|ann|👍`]);
	});

	it('refuses before writing what the server would refuse', () => {
		const { chat, updates } = chatOf('ann');
		expect(chat.send('   ')).toBeNull();
		expect(chat.send('x'.repeat(MAX_TEXT_LENGTH + 1))).toBeNull();
		const key = chat.send('fine')!;
		const written = updates.length;
		expect(chat.edit(key, 'y'.repeat(MAX_TEXT_LENGTH + 1))).toBe(false);
		expect(chat.send('a reply to nothing', 'not a message key')).toBeNull();
		chat.toggleReaction(key, '🎉'.repeat(17));
		expect(updates.length).toBe(written);
	});

	it('does not edit another person’s message', () => {
		const { chat, doc, updates } = chatOf('ann');
		const bob = chatOf('bob');
		const key = bob.chat.send('from bob')!;
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(bob.doc));
		const written = updates.length;
		expect(chat.edit(key, 'ann was here')).toBe(false);
		expect(updates.length).toBe(written);
	});
});
