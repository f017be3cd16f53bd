import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MESSAGE_AUTH, MESSAGE_QUERY_AWARENESS, MESSAGE_SERVER_STATE, MESSAGE_SYNC } from '../src/lib/core/chat/protocol.ts';
import { ack, awarenessMessage, deny, readAwarenessEntries, readClientMessage, syncStep1, syncStep2, updateMessage, writeAwarenessEntries } from './protocol.ts';

const docWith = (text: string) => {
	const doc = new Y.Doc();
	doc.getMap('m').set('k', text);
	return doc;
};

const frame = (...values: number[]) => {
	const encoder = encoding.createEncoder();
	for (const v of values) encoding.writeVarUint(encoder, v);
	return encoding.toUint8Array(encoder);
};

describe('readClientMessage', () => {
	it('reads what a y-websocket client sends: sync step 1, sync step 2 and updates (both as updates)', () => {
		const doc = docWith('hello');
		expect(readClientMessage(syncStep1(doc))).toEqual({ type: 'sync-step1', stateVector: Y.encodeStateVector(doc) });
		const step2 = readClientMessage(syncStep2(doc, new Uint8Array([0])));
		const update = readClientMessage(updateMessage(Y.encodeStateAsUpdate(doc)));
		for (const message of [step2, update]) {
			if (message.type !== 'update') throw new Error(message.type);
			const copy = new Y.Doc();
			Y.applyUpdate(copy, message.update);
			expect(copy.getMap('m').get('k')).toBe('hello');
		}
	});

	it('reads awareness, the awareness query and auth; names what it does not know', () => {
		const awareness = new awarenessProtocol.Awareness(new Y.Doc());
		awareness.setLocalState({ user: { id: 'ann' } });
		expect(readClientMessage(awarenessMessage(awareness, [awareness.clientID]))).toEqual({
			type: 'awareness',
			entries: [{ client: awareness.clientID, clock: 1, json: '{"user":{"id":"ann"}}' }]
		});
		expect(readClientMessage(frame(MESSAGE_QUERY_AWARENESS))).toEqual({ type: 'query-awareness' });
		expect(readClientMessage(frame(MESSAGE_AUTH, 0))).toEqual({ type: 'auth' });
		expect(readClientMessage(frame(MESSAGE_SYNC, 9))).toEqual({ type: 'unknown', reason: 'unknown sync message 9' });
		expect(readClientMessage(frame(42))).toEqual({ type: 'unknown', reason: 'unknown message type 42' });
	});

	it('throws on a truncated frame', () => {
		expect(() => readClientMessage(new Uint8Array())).toThrow();
		expect(() => readClientMessage(syncStep1(docWith('x')).slice(0, 3))).toThrow();
	});
});

describe('server messages', () => {
	it('deny carries the reason; ack carries the state vector', () => {
		const denied = decoding.createDecoder(deny('update rejected: too big'));
		expect([decoding.readVarUint(denied), decoding.readVarUint(denied), decoding.readVarString(denied)]).toEqual([MESSAGE_AUTH, 0, 'update rejected: too big']);
		const doc = docWith('x');
		const acked = decoding.createDecoder(ack(doc));
		expect(decoding.readVarUint(acked)).toBe(MESSAGE_SERVER_STATE);
		expect(decoding.readVarUint8Array(acked)).toEqual(Y.encodeStateVector(doc));
	});

	it('awareness entries survive a round trip, JSON left as text', () => {
		const entries = [
			{ client: 1, clock: 3, json: '{"a":1}' },
			{ client: 2 ** 31, clock: 0, json: 'null' }
		];
		expect(readAwarenessEntries(writeAwarenessEntries(entries))).toEqual(entries);
	});
});
