import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/lib/server/log.ts';
import { parseConfig } from '../src/lib/server/config.ts';
import type { CallMembers } from '../sfu/call-router.ts';
import { readClientMessage } from './protocol.ts';
import { RoomPresence, type PresencePeer } from './room-presence.ts';

function setup() {
	const calls: CallMembers[] = [];
	const joined: string[] = [];
	const presence = new RoomPresence({
		roomId: 'r',
		log: createLogger('error'),
		limits: parseConfig({}).sync,
		clientOwner: () => undefined,
		onCallJoin: (userId) => joined.push(userId),
		onCall: (members) => calls.push(members)
	});
	const peer = (userId: string) => {
		const received: Uint8Array[] = [];
		const p: PresencePeer & { received: Uint8Array[] } = { userId, received, send: (m) => received.push(m) };
		presence.join(p);
		return p;
	};
	return { presence, calls, joined, peer };
}

const state = (client: number, clock: number, value: unknown) => [{ client, clock, json: JSON.stringify(value) }];

describe('RoomPresence', () => {
	it('counts who is in the call from each connection’s presence, and tells of a join once', () => {
		const { presence, calls, joined, peer } = setup();
		const ann = peer('ann');
		const bob = peer('bob');
		presence.receive(ann, state(1, 1, { user: { id: 'ann' }, call: { peerId: 'p1' } }));
		expect(calls).toEqual([{ devices: 1, users: new Set(['ann']) }]);
		// Muting is not joining again, and changes nobody's count.
		presence.receive(ann, state(1, 2, { user: { id: 'ann' }, call: { peerId: 'p1', audio: false } }));
		// A call field with no peer id is not being in the call, for the server as for the browser (presence.ts).
		presence.receive(bob, state(2, 1, { user: { id: 'bob' }, call: { audio: true } }));
		expect(joined).toEqual(['ann']);
		expect(calls).toHaveLength(1);
		// Bob sees Ann's presence, relayed as the room's awareness.
		expect(bob.received.map((m) => readClientMessage(m).type)).toContain('awareness');
		presence.leave(ann);
		expect(calls.at(-1)).toEqual({ devices: 0, users: new Set() });
		presence.destroy();
	});

	it('gives a new connection everyone’s presence, the server’s included', () => {
		const { presence, peer } = setup();
		presence.setServerState({ call: { topology: 'mesh' } });
		const late = peer('cat');
		const first = readClientMessage(late.received[0]);
		expect(first.type === 'awareness' && first.entries.map((e) => JSON.parse(e.json))).toEqual([{ server: { call: { topology: 'mesh' } } }]);
		presence.destroy();
	});
});
