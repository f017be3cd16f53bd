/**
 * Raised hands in a call: each is the time it went up (on the sender's awareness, within the
 * server's bound of its clock), so every browser orders the same queue the same way.
 */
export type RaisedHand = { peerId: string; userId: string; hand: number };

/** A moderator's request that the person lowers the hand they raised at `hand` (their client obeys it; the server lets only owners and admins send it). */
export type LowerRequest = { userId: string; hand: number };

/** At most this many requests on one moderator's awareness at once. */
export const MAX_LOWER_REQUESTS = 8;

/** The queue: first raised first (ties by peer id, the same everywhere), each with its place from 1. */
export function handQueue<T extends { peerId: string; hand: number | null }>(participants: readonly T[]): (T & { hand: number; position: number })[] {
	return participants
		.filter((p): p is T & { hand: number } => typeof p.hand === 'number')
		.sort((a, b) => a.hand - b.hand || (a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0))
		.map((p, i) => ({ ...p, position: i + 1 }));
}

/** Whether someone's requests (already checked by the server to come from a moderator) ask `userId` to lower the hand raised at `hand`. */
export function askedToLower(requests: readonly LowerRequest[], userId: string, hand: number | null): boolean {
	return hand !== null && requests.some((r) => r.userId === userId && r.hand === hand);
}
