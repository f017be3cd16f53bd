/**
 * The join/leave state of one person's call, as a pure reducer: the UI dispatches events,
 * and renders the state; the media code reacts to transitions.
 */
export type Participant = { peerId: string; userId: string; joinedAt: number };

export type CallState =
	| { phase: 'idle' }
	| { phase: 'prejoin'; starting: boolean }
	| { phase: 'joining'; peerId: string }
	| { phase: 'in-call'; peerId: string; joinedAt: number }
	| { phase: 'full'; limit: number }
	| { phase: 'failed'; reason: string };

export type CallEvent =
	| { type: 'open-prejoin'; callInProgress: boolean }
	| { type: 'cancel' }
	/** `limit`: the most people the call may have (null: no limit; the server says, see presence.ts). */
	| { type: 'join'; peerId: string; participants: number; limit: number | null }
	| { type: 'joined'; at: number }
	| { type: 'failed'; reason: string }
	| { type: 'leave' };

export function callReducer(state: CallState, event: CallEvent): CallState {
	switch (event.type) {
		case 'open-prejoin':
			return state.phase === 'idle' || state.phase === 'full' || state.phase === 'failed' ? { phase: 'prejoin', starting: !event.callInProgress } : state;
		case 'cancel':
			return state.phase === 'prejoin' || state.phase === 'full' || state.phase === 'failed' ? { phase: 'idle' } : state;
		case 'join':
			if (state.phase !== 'prejoin') return state;
			if (event.limit !== null && event.participants >= event.limit) return { phase: 'full', limit: event.limit };
			return { phase: 'joining', peerId: event.peerId };
		case 'joined':
			return state.phase === 'joining' ? { phase: 'in-call', peerId: state.peerId, joinedAt: event.at } : state;
		case 'failed':
			return state.phase === 'prejoin' || state.phase === 'joining' || state.phase === 'in-call' ? { phase: 'failed', reason: event.reason } : state;
		case 'leave':
			return { phase: 'idle' };
	}
}

/** Who joined earlier: by time, then by peer id, so everyone agrees. */
const earlier = (a: Participant, b: Participant) => a.joinedAt < b.joinedAt || (a.joinedAt === b.joinedAt && a.peerId < b.peerId);

/** The newest participant calls the existing ones: the peers `me` must dial. */
export function peersToCall(me: Participant, participants: readonly Participant[]): string[] {
	return participants.filter((p) => p.peerId !== me.peerId && earlier(p, me)).map((p) => p.peerId);
}
