import { checkCallState } from '../src/lib/core/call/call-state-check.ts';
import { inCall } from '../src/lib/core/call/presence.ts';

/** One entry of an awareness update: a client's state (JSON, `null` when it left) at a clock. */
export type AwarenessEntry = { client: number; clock: number; json: string };

export type AwarenessContext = {
	userId: string;
	/** The awareness client this connection speaks as, once it has published a state. */
	bound: number | undefined;
	/** The server's own awareness client. */
	serverClient: number;
	/** The clock the room already has for a client (an echo of it changes nothing). */
	knownClock(client: number): number | undefined;
	/** The person a Yjs client id is bound to in the room document, if any. */
	clientOwner(client: number): string | undefined;
	/** Whether another person's connection speaks as this client. */
	heldByOther(client: number): boolean;
	/** How many of this person's other awareness clients are in the room's call. */
	callDevicesElsewhere(client: number): number;
	maxStateBytes: number;
	maxCallDevices: number;
	/** The person is an owner or admin of the room (its roles on the server): they may lower others' hands. */
	canModerate: boolean;
	now: number;
	/** The `call` the room has for a client now (held back or relayed), to tell what a state changes. */
	previousCall(client: number): unknown;
	/** Spends one of this connection's reactions; false when the allowance is spent. */
	takeReaction(): boolean;
	reactionsPerMinute: number;
	/** Why this person may not be in the call now (removed from it, or it is locked and they were not in it), or null. */
	callRefusal(alreadyInCall: boolean): string | null;
};

export type AwarenessVerdict = {
	kept: AwarenessEntry[];
	/** The client this connection is now bound to (set by its first state). */
	bound: number | undefined;
	/** Why entries were dropped, for the log and for the sender. */
	refusals: string[];
};

type State = { user?: { id?: unknown }; server?: unknown; call?: unknown } | null;

/**
 * Which awareness entries a connection may publish: one presence per connection (its first
 * client id), describing the signed-in person only, never the server, of a bounded size, and
 * in at most `maxCallDevices` of a call at once, with hands and reactions as `checkCallState`
 * allows. Stock y-websocket clients echo every state
 * they receive; echoes are skipped.
 */
export function guardAwareness(entries: AwarenessEntry[], ctx: AwarenessContext): AwarenessVerdict {
	const kept: AwarenessEntry[] = [];
	const refusals: string[] = [];
	let bound = ctx.bound;
	// A batch may carry several states of one client: each is checked against the one before it.
	const latest = new Map<number, unknown>();
	for (const entry of entries) {
		// An echo of a state the room already has: skipped quietly.
		const known = ctx.knownClock(entry.client);
		if (known !== undefined && entry.clock <= known) continue;
		const previous = latest.has(entry.client) ? latest.get(entry.client) : ctx.previousCall(entry.client);
		const problem = check(entry, bound, ctx, previous);
		if (problem) {
			refusals.push(problem);
			continue;
		}
		if (bound === undefined && entry.json !== 'null') bound = entry.client;
		latest.set(entry.client, (JSON.parse(entry.json) as State)?.call);
		kept.push(entry);
	}
	return { kept, bound, refusals };
}

function check(entry: AwarenessEntry, bound: number | undefined, ctx: AwarenessContext, previous: unknown): string | null {
	if (entry.client === ctx.serverClient) return 'only the server speaks as the server';
	if (bound !== undefined && entry.client !== bound) return 'one presence per connection';
	if (entry.json.length > ctx.maxStateBytes) return `presence is larger than ${ctx.maxStateBytes} bytes`;
	let state: State;
	try {
		state = JSON.parse(entry.json) as State;
	} catch {
		return 'presence is not JSON';
	}
	if (state === null) return bound === entry.client ? null : 'one presence per connection';
	if (typeof state !== 'object' || Array.isArray(state)) return 'presence must be an object';
	if (state.server !== undefined) return 'only the server speaks as the server';
	// A state may leave out who it is (stock clients start with {}), but never name someone else.
	if (state.user !== undefined && (typeof state.user !== 'object' || state.user === null || state.user.id !== ctx.userId)) return 'presence may only describe yourself';
	const owner = ctx.clientOwner(entry.client);
	if ((owner !== undefined && owner !== ctx.userId) || ctx.heldByOther(entry.client)) return 'that presence belongs to someone else';
	if (inCall(state) && ctx.callDevicesElsewhere(entry.client) >= ctx.maxCallDevices) return `you are already in this call on ${ctx.maxCallDevices} devices; leave it on one of them first`;
	if (inCall(state)) {
		const refusal = ctx.callRefusal(inCall({ call: previous }));
		if (refusal) return refusal;
	}
	// Last: a reaction it lets through is spent.
	return checkCallState(state.call, { canModerate: ctx.canModerate, now: ctx.now, previous, takeReaction: ctx.takeReaction, reactionsPerMinute: ctx.reactionsPerMinute });
}
