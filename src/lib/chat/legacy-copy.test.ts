import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageKey, reactionKey } from '../core/chat/message-key.ts';
import { MESSAGES, REACTIONS } from '../core/chat/schema.ts';
import { unsentWrites } from './legacy-copy.ts';

const DAY = 86_400_000;
const at = (text: string, time: number) => ({ text, createdAt: time });

describe("a device's copy of a room's old single document", () => {
	it('replays only what the server never had: the person’s own new messages, edits, reactions and deletions made offline', () => {
		const t0 = Date.now() - 90 * DAY;
		// Ann's device, in step with the server before the split.
		const device = new Y.Doc();
		const messages = device.getMap(MESSAGES);
		const reactions = device.getMap(REACTIONS);
		const old = newMessageKey('ann', t0);
		const gone = newMessageKey('ann', t0 + DAY);
		const bens = newMessageKey('ben', t0 + 2 * DAY);
		messages.set(old, at('three months ago', t0));
		messages.set(gone, at('to be deleted', t0 + DAY));
		const server = new Y.Doc({ gc: true });
		Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
		server.getMap(MESSAGES).set(bens, at('Ben, synced', t0 + 2 * DAY));
		Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
		const split = Y.decodeStateVector(Y.encodeStateVector(server));

		// Then offline, before the upgrade: nothing of this reached the server.
		const fresh = newMessageKey('ann');
		messages.set(fresh, at('written offline', Date.now()));
		messages.set(old, { ...at('three months ago, edited offline', t0), editedAt: Date.now() });
		messages.delete(gone);
		const thumbs = reactionKey(bens, 'ann', '👍');
		reactions.set(thumbs, { at: Date.now() });
		const changedMind = newMessageKey('ann');
		messages.set(changedMind, at('sent and deleted offline', Date.now()));
		messages.delete(changedMind);

		const { set, deleted } = unsentWrites(device, split, 'ann');
		expect(set.map((w) => [w.root, w.key]).sort()).toEqual([[MESSAGES, fresh], [MESSAGES, old], [REACTIONS, thumbs]].sort());
		expect(set.find((w) => w.key === old)?.value).toMatchObject({ text: 'three months ago, edited offline' });
		expect(deleted).toEqual([{ root: MESSAGES, key: gone }]);
		// Another person's entries are theirs to send.
		expect(unsentWrites(device, split, 'ben')).toEqual({ set: [], deleted: [] });
		// A copy the server had all of has nothing to replay.
		expect(unsentWrites(device, Y.decodeStateVector(Y.encodeStateVector(device)), 'ann').set).toEqual([]);
	});
});
