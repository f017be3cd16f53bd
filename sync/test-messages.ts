// Test support: chat messages in a room document, as the browser writes them.
import * as Y from 'yjs';
import { newMessageKey, parseMessageKey } from '../src/lib/core/chat/message-key.ts';
import { MESSAGES } from '../src/lib/core/chat/schema.ts';

/** A message's value for its key. */
export const message = (key: string, text: string) => ({ text, createdAt: parseMessageKey(key)!.time });

/** Writes a new message as `userId`; returns its key. */
export function send(doc: Y.Doc, userId: string, text: string): string {
	const key = newMessageKey(userId);
	doc.getMap(MESSAGES).set(key, message(key, text));
	return key;
}

/** The texts of a document's messages, sorted. */
export const texts = (doc: Y.Doc) => [...doc.getMap<{ text: string }>(MESSAGES).values()].map((m) => m.text).sort();
