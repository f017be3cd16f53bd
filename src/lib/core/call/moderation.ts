/**
 * Moderation in a call (owners and admins only; the server checks who may send these, from the
 * room's roles). Requests ride on the moderator's own call state, like requests to lower a hand;
 * what the server decides (a lock, who was removed) rides on the server's awareness entry.
 */

/** Mute the device `peerId` until its owner unmutes themselves: while its `unmutes` is still `unmutes`, everyone stops playing its audio. */
export type MuteRequest = { peerId: string; unmutes: number };
/** Ask the device `peerId` to unmute (a prompt they may accept); `at` tells one request from the next. */
export type UnmuteAsk = { peerId: string; at: number };

/** At most this many of each kind of request on one moderator's state at once. */
export const MAX_MODERATION_REQUESTS = 16;

/** What the server says about moderation of a room's call (`{ server: { moderation } }`). */
export type ServerModeration = {
	/** Who locked the call, or null. */
	lock: { by: string } | null;
	/** People removed from this call, by whom, until when (server clock); `ended` when it was by ending the call for everyone. */
	removed: { userId: string; by: string; until: number; ended?: boolean }[];
};

export const NO_MODERATION: ServerModeration = { lock: null, removed: [] };

type Muter = { userId: string; peerId: string; mute?: readonly MuteRequest[] };

/**
 * The moderator whose request keeps `target` silent, or null: a request naming its device at the
 * count of times it has unmuted itself (so unmuting lifts it, and ignoring it does not).
 */
export function mutedBy<T extends Muter>(participants: readonly T[], target: { peerId: string; unmutes: number }): T | null {
	return participants.find((p) => p.peerId !== target.peerId && (p.mute ?? []).some((r) => r.peerId === target.peerId && r.unmutes === target.unmutes)) ?? null;
}

export function serverModerationOf(states: Map<number, { server?: { moderation?: Partial<ServerModeration> } }>): ServerModeration {
	for (const state of states.values()) {
		const moderation = state.server?.moderation;
		if (!moderation) continue;
		const lock = moderation.lock && typeof moderation.lock.by === 'string' ? { by: moderation.lock.by } : null;
		const removed = Array.isArray(moderation.removed)
			? moderation.removed
					.filter((r) => typeof r?.userId === 'string' && typeof r.by === 'string' && typeof r.until === 'number')
					.map((r) => ({ userId: r.userId, by: r.by, until: r.until, ...(r.ended === true ? { ended: true } : {}) }))
			: [];
		return { lock, removed };
	}
	return NO_MODERATION;
}
