import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SERVER_STATE, MESSAGE_SYNC } from '../src/lib/core/chat/protocol.ts';
import type { AwarenessEntry } from './awareness-guard.ts';

/** Encoders and decoders of the y-websocket messages the sync service sends and reads: the only place their bytes are made or read. */

const message = (type: number, write: (encoder: encoding.Encoder) => void): Uint8Array => {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
};

export const syncStep1 = (doc: Y.Doc) => message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, doc));
export const syncStep2 = (doc: Y.Doc, stateVector: Uint8Array) => message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep2(e, doc, stateVector));
/** Sync step 2 carrying an update as it is (a stored snapshot): nothing is encoded again. */
export const syncStep2Of = (update: Uint8Array) =>
	message(MESSAGE_SYNC, (e) => {
		encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
		encoding.writeVarUint8Array(e, update);
	});
export const updateMessage = (update: Uint8Array) => message(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
export const awarenessMessage = (awareness: awarenessProtocol.Awareness, clients: number[]) =>
	message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients)));
/** y-websocket's "permission denied", with the reason a person can read. */
/**
 * An empty presence update: every y-websocket client reads it and changes nothing. Sent to a quiet connection, it
 * tells the client the link is alive (y-websocket reconnects after 30 s without a message, and a month's document
 * has no presence of its own to hear).
 */
// An awareness update is the number of entries and then each; zero entries is the one byte 0.
export const HEARTBEAT: Uint8Array = message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, Uint8Array.of(0)));
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

/** A frame from a client, decoded: what the room does with it depends only on this. */
export type ClientMessage =
	| { type: 'sync-step1'; stateVector: Uint8Array }
	/** Sync step 2 and plain updates are handled alike: an update to validate and apply. */
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; entries: AwarenessEntry[] }
	| { type: 'query-awareness' }
	/** y-websocket's auth message: the server's to send, ignored from clients. */
	| { type: 'auth' }
	| { type: 'unknown'; reason: string };

/** Decodes one frame from a client. Throws on a malformed one. */
export function readClientMessage(data: Uint8Array): ClientMessage {
	const decoder = decoding.createDecoder(data);
	const type = decoding.readVarUint(decoder);
	if (type === MESSAGE_SYNC) {
		const kind = decoding.readVarUint(decoder);
		if (kind === syncProtocol.messageYjsSyncStep1) return { type: 'sync-step1', stateVector: decoding.readVarUint8Array(decoder) };
		if (kind === syncProtocol.messageYjsSyncStep2 || kind === syncProtocol.messageYjsUpdate) return { type: 'update', update: decoding.readVarUint8Array(decoder) };
		return { type: 'unknown', reason: `unknown sync message ${kind}` };
	}
	if (type === MESSAGE_AWARENESS) return { type: 'awareness', entries: readAwarenessEntries(decoding.readVarUint8Array(decoder)) };
	if (type === MESSAGE_QUERY_AWARENESS) return { type: 'query-awareness' };
	if (type === MESSAGE_AUTH) return { type: 'auth' };
	return { type: 'unknown', reason: `unknown message type ${type}` };
}
