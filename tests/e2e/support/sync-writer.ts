import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_SERVER_STATE, MESSAGE_SYNC } from '../../../src/lib/core/chat/protocol.ts';
import { liveDocument } from '../../../sync/test-harness.ts';
import { send } from '../../../sync/test-messages.ts';
import type { Person } from './api-client.ts';

/**
 * A writer on the real sync protocol with Parley's acknowledgements (`?ack=1`), to the room's document
 * of this month: knows which of its messages the server has stored.
 */
export async function syncWriter(wsUrl: string, roomId: string, person: Person) {
	const doc = new Y.Doc();
	const ws = new WebSocket(`${wsUrl}/${liveDocument(roomId)}?ack=1`, { headers: { cookie: person.cookie } });
	const pending: { key: string; clock: number }[] = [];
	const acked = new Set<string>();
	doc.on('update', (update: Uint8Array) => {
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, MESSAGE_SYNC);
		syncProtocol.writeUpdate(e, update);
		ws.send(encoding.toUint8Array(e));
	});
	ws.on('message', (data: Buffer) => {
		const decoder = decoding.createDecoder(new Uint8Array(data));
		if (decoding.readVarUint(decoder) !== MESSAGE_SERVER_STATE) return;
		const stored = Y.decodeStateVector(decoding.readVarUint8Array(decoder)).get(doc.clientID) ?? 0;
		while (pending.length && pending[0].clock <= stored) acked.add(pending.shift()!.key);
	});
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	return {
		acked,
		write(text: string) {
			const key = send(doc, person.id, text);
			pending.push({ key, clock: Y.getState(doc.store, doc.clientID) });
		},
		close: () => ws.close()
	};
}

