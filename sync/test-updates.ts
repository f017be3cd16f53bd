// Test support: Yjs updates written byte by byte, as an attacker would craft them.
import * as encoding from 'lib0/encoding';
import { MESSAGES } from '../src/lib/core/chat/schema.ts';

const CONTENT_ANY = 8;
const HAS_ORIGIN = 0x80;
const HAS_PARENT_SUB = 0x20;

/**
 * Two structs of one client under `messages[key]`, the first placed after the second (its left
 * origin is a later clock of the same client). Every key and value is the sender's own, so it
 * passes a check of places and values; Yjs throws when it integrates it.
 */
export function forwardOriginUpdate(client: number, key: string, value: unknown, clock = 0): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1); // clients
	encoding.writeVarUint(e, 2); // structs of this client
	encoding.writeVarUint(e, client);
	encoding.writeVarUint(e, clock);
	// clock: left origin (client, clock + 1), which comes after it
	encoding.writeUint8(e, CONTENT_ANY | HAS_ORIGIN);
	encoding.writeVarUint(e, client);
	encoding.writeVarUint(e, clock + 1);
	encoding.writeVarUint(e, 1);
	encoding.writeAny(e, value as never);
	// clock + 1: messages[key]
	encoding.writeUint8(e, CONTENT_ANY | HAS_PARENT_SUB);
	encoding.writeVarUint(e, 1); // parent is a root type, by name
	encoding.writeVarString(e, MESSAGES);
	encoding.writeVarString(e, key);
	encoding.writeVarUint(e, 1);
	encoding.writeAny(e, value as never);
	encoding.writeVarUint(e, 0); // no deletions
	return encoding.toUint8Array(e);
}
