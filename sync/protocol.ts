import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_SERVER_STATE, MESSAGE_SYNC } from '../src/lib/core/chat/protocol.ts';
import type { AwarenessEntry } from './awareness-guard.ts';

/** Encoders and decoders of the y-websocket messages the sync service sends and reads. */

const message = (type: number, write: (encoder: encoding.Encoder) => void): Uint8Array => {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
};

export const syncStep1 = (doc: Y.Doc) => message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, doc));
export const syncStep2 = (doc: Y.Doc, stateVector: Uint8Array) => message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep2(e, doc, stateVector));
export const updateMessage = (update: Uint8Array) => message(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
export const awarenessMessage = (awareness: awarenessProtocol.Awareness, clients: number[]) =>
	message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients)));
/** y-websocket's "permission denied", with the reason a person can read. */
export const deny = (reason: string) => message(MESSAGE_AUTH, (e) => authProtocol.writePermissionDenied(e, reason));
/** Parley's acknowledgement: the server's state vector after storing (see MESSAGE_SERVER_STATE). */
export const ack = (doc: Y.Doc) => message(MESSAGE_SERVER_STATE, (e) => encoding.writeVarUint8Array(e, Y.encodeStateVector(doc)));

/** The entries of an awareness update, undecoded JSON left as text. Throws on a malformed update. */
export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		entries.push({ client: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder), json: decoding.readVarString(decoder) });
	}
	return entries;
}

export function writeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const { client, clock, json } of entries) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, json);
	}
	return encoding.toUint8Array(encoder);
}
