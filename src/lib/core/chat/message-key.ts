import { decodeTime, isValid, monotonicFactory } from 'ulid';

/**
 * Message keys are `<authorId>:<ulid>`: the author is part of the key (the server checks
 * it is the sender), and the ULID orders messages by the time they were written.
 */
export type MessageKey = { authorId: string; ulid: string; time: number };

const nextUlid = monotonicFactory();

export function newMessageKey(authorId: string, now = Date.now()): string {
	return `${authorId}:${nextUlid(now)}`;
}

export function parseMessageKey(key: string): MessageKey | null {
	const colon = key.lastIndexOf(':');
	if (colon <= 0) return null;
	const authorId = key.slice(0, colon);
	const ulid = key.slice(colon + 1);
	if (!isValid(ulid) || ulid !== ulid.toUpperCase() || /[:|]/.test(authorId)) return null;
	return { authorId, ulid, time: decodeTime(ulid) };
}

/** The ULID part of a key, without validating it (sorting runs this millions of times; the server validated keys). */
const ulidOf = (key: string) => key.slice(key.lastIndexOf(':') + 1);

/** Messages in the order everyone sees them: by ULID (time written, then randomness), then by author. */
export function compareMessageKeys(a: string, b: string): number {
	const ua = ulidOf(a);
	const ub = ulidOf(b);
	if (ua !== ub) return ua < ub ? -1 : 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Reaction keys are `<messageKey>|<userId>|<emoji>`: one per person, message and emoji. */
export type ReactionKey = { messageKey: string; userId: string; emoji: string };

export function reactionKey(messageKey: string, userId: string, emoji: string): string {
	return `${messageKey}|${userId}|${emoji}`;
}

export function parseReactionKey(key: string): ReactionKey | null {
	const parts = key.split('|');
	if (parts.length !== 3) return null;
	const [messageKey, userId, emoji] = parts;
	if (!parseMessageKey(messageKey) || !userId || /[:]/.test(userId) || !emoji) return null;
	return { messageKey, userId, emoji };
}
