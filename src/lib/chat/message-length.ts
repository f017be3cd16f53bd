import { MAX_TEXT_LENGTH } from '../core/chat/schema.ts';

/** From this share of the limit on, the composer shows how long the message is. */
export const NEAR_LIMIT_SHARE = 0.9;

/**
 * How a draft stands against the message length limit, counted as the server's schema counts it (the
 * trimmed text, in Unicode code points): a draft over the limit is refused whole, never cut.
 */
export function draftLength(draft: string, limit = MAX_TEXT_LENGTH): { length: number; near: boolean; overBy: number } {
	const length = [...draft.trim()].length;
	return { length, near: length >= Math.floor(limit * NEAR_LIMIT_SHARE), overBy: Math.max(0, length - limit) };
}
