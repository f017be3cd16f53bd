import type { CallParticipant } from '../core/call/presence.ts';
import { REACTION_SHOWN_MS } from '../core/call/reactions.ts';

/** What was last seen of each awareness client: its hand and its reaction's counter. */
export type Seen = Map<number, { hand: number | null; reaction: string }>;

/** A moment to show and announce: someone raised a hand, or sent a reaction. */
export type Moment = { kind: 'hand' | 'reaction'; participant: CallParticipant };

const reactionKey = (p: CallParticipant) => (p.reaction ? `${p.reaction.n}:${p.reaction.emoji}` : '');

/**
 * What changed since the last look at the call: hands that went up and reactions sent. A person
 * seen for the first time brings only what is fresh (a hand or reaction from the last few
 * seconds, by their clock), not what was there before we looked.
 */
export function newMoments(seen: Seen, participants: readonly CallParticipant[], now: number): { seen: Seen; moments: Moment[] } {
	const next: Seen = new Map();
	const moments: Moment[] = [];
	for (const p of participants) {
		const before = seen.get(p.clientId);
		const reaction = reactionKey(p);
		next.set(p.clientId, { hand: p.hand, reaction });
		const fresh = (at: number) => before !== undefined || Math.abs(now - at) < REACTION_SHOWN_MS;
		if (p.hand !== null && p.hand !== before?.hand && fresh(p.hand)) moments.push({ kind: 'hand', participant: p });
		if (p.reaction && reaction !== before?.reaction && fresh(p.reaction.at)) moments.push({ kind: 'reaction', participant: p });
	}
	return { seen: next, moments };
}
