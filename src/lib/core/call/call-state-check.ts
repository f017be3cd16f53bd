import { MAX_CLOCK_SKEW_MS } from '../chat/schema.ts';
import { MAX_LOWER_REQUESTS } from './hand-queue.ts';
import { isReactionEmoji, REACTIONS } from './reactions.ts';
import { MAX_MODERATION_REQUESTS } from './moderation.ts';

export type CallStateContext = {
	/** The sender is an owner or admin of the room (from the room's roles on the server). */
	canModerate: boolean;
	now: number;
	/** The sender's `call` as the room has it now (to tell a new hand or reaction from one already accepted). */
	previous: unknown;
	/** Spends one of the sender's reactions; false when their allowance is spent. */
	takeReaction(): boolean;
	reactionsPerMinute: number;
};

type Fields = { hand?: unknown; reaction?: unknown; lower?: unknown; unmutes?: unknown; mute?: unknown; askUnmute?: unknown; remove?: unknown; lock?: unknown; end?: unknown };

const MAX_USER_ID = 100;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
const nearNow = (time: number, now: number) => Math.abs(time - now) <= MAX_CLOCK_SKEW_MS;

/**
 * What a connection may say in its own `call` about hands and reactions: a hand is the time it
 * went up (near the server's clock when new), a reaction one of `REACTIONS` within an allowance,
 * and only owners and admins may ask others to lower their hands. Returns why not, or null.
 */
export function checkCallState(call: unknown, ctx: CallStateContext): string | null {
	if (typeof call !== 'object' || call === null) return null;
	const { hand, reaction, lower } = call as Fields;
	const previous = (typeof ctx.previous === 'object' && ctx.previous !== null ? ctx.previous : {}) as Fields;

	if (hand !== undefined && hand !== null) {
		if (!isTime(hand)) return 'a raised hand is the time it was raised';
		if (hand !== previous.hand && !nearNow(hand, ctx.now)) return 'a hand may only be raised now';
	}

	let newReaction = false;
	if (reaction !== undefined && reaction !== null) {
		if (typeof reaction !== 'object' || Array.isArray(reaction)) return 'a reaction is { emoji, n, at }';
		const { emoji, n, at, ...rest } = reaction as { emoji?: unknown; n?: unknown; at?: unknown };
		if (Object.keys(rest).length) return 'a reaction is { emoji, n, at }';
		if (!isReactionEmoji(emoji)) return `a reaction is one of ${REACTIONS.join(' ')}`;
		if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || !isTime(at)) return 'a reaction is { emoji, n, at }';
		const before = previous.reaction as { emoji?: unknown; n?: unknown } | null | undefined;
		if (before?.n !== n || before.emoji !== emoji) {
			if (!nearNow(at, ctx.now)) return 'a reaction may only be sent now';
			newReaction = true;
		}
	}

	if (lower !== undefined && lower !== null) {
		if (!Array.isArray(lower) || lower.length > MAX_LOWER_REQUESTS) return `hands to lower are a list of at most ${MAX_LOWER_REQUESTS}`;
		for (const request of lower) {
			const { userId, hand: raised } = (request ?? {}) as { userId?: unknown; hand?: unknown };
			if (typeof userId !== 'string' || !userId || userId.length > MAX_USER_ID || !isTime(raised)) return 'a hand to lower is { userId, hand }';
		}
		if (lower.length && !ctx.canModerate) return 'only owners and admins may lower someone else’s hand';
	}
	const moderation = checkModeration(call as Fields, ctx.canModerate);
	if (moderation) return moderation;
	// Spent last, so a state refused for another reason costs nothing.
	if (newReaction && !ctx.takeReaction()) return `reactions are limited to ${ctx.reactionsPerMinute} a minute; wait a moment`;
	return null;
}

const MAX_PEER_ID = 100;
const isCount = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isId = (value: unknown, max: number) => typeof value === 'string' && value.length > 0 && value.length <= max;

/** Mutes, asks to unmute, removals, the lock and ending the call: well formed, and only from owners and admins. */
function checkModeration({ unmutes, mute, askUnmute, remove, lock, end }: Fields, canModerate: boolean): string | null {
	if (unmutes !== undefined && !isCount(unmutes)) return 'unmutes is a count';
	if (end !== undefined && end !== null && !isCount(end)) return 'end is a count';
	const lists = { mute, askUnmute, remove } as const;
	for (const [name, list] of Object.entries(lists)) {
		if (list === undefined || list === null) continue;
		if (!Array.isArray(list) || list.length > MAX_MODERATION_REQUESTS) return `${name} is a list of at most ${MAX_MODERATION_REQUESTS}`;
	}
	for (const r of (Array.isArray(mute) ? mute : []) as { peerId?: unknown; unmutes?: unknown }[]) {
		if (!isId(r?.peerId, MAX_PEER_ID) || !isCount(r.unmutes)) return 'a mute is { peerId, unmutes }';
	}
	for (const r of (Array.isArray(askUnmute) ? askUnmute : []) as { peerId?: unknown; at?: unknown }[]) {
		if (!isId(r?.peerId, MAX_PEER_ID) || !isTime(r.at)) return 'an ask to unmute is { peerId, at }';
	}
	for (const userId of (Array.isArray(remove) ? remove : []) as unknown[]) if (!isId(userId, MAX_USER_ID)) return 'a removal names a user id';
	let lockAsked = false;
	if (lock !== undefined && lock !== null) {
		const { on, n, ...rest } = lock as { on?: unknown; n?: unknown };
		if (typeof lock !== 'object' || Array.isArray(lock) || Object.keys(rest).length || typeof on !== 'boolean' || !isCount(n)) return 'lock is { on, n }';
		lockAsked = (n as number) > 0;
	}
	const asks = [mute, askUnmute, remove].some((list) => Array.isArray(list) && list.length > 0) || lockAsked || (typeof end === 'number' && end > 0);
	if (asks && !canModerate) return 'only owners and admins may mute, remove, lock or end the call';
	return null;
}
