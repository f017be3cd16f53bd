/**
 * How one person's call moves between peer-to-peer mesh links and the SFU, as a pure reducer:
 * the call feeds it what happened (awareness changed, the SFU came up, failed or was lost, a
 * poll tick, a decoding check's result) and carries out the effects it returns.
 *
 * A switch is make-before-break: the new path is set up, the old one is closed only once
 * everyone's video is seen decoding on the new one, and each device says on its presence
 * (`route`) when it has moved, so that a mesh link (two ends) closes once both ends receive
 * everyone from the SFU, and the SFU goes once everyone is back on mesh.
 */
import { SFU_FROM, type ServerCall } from '../core/call/presence.ts';

/** After this long, a move to the SFU shows what decodes there even if not everyone does yet. */
export const SWITCH_TIMEOUT_MS = 8000;
/** While a switch is watched, the new path is checked this often. */
export const SWITCH_POLL_MS = 200;
/** After losing (or failing to reach) the SFU, try again this often until the server announces a new videoroom. */
export const SFU_RETRY_MS = 1500;
/** A joiner of a call the SFU is about to take waits this long for it instead of dialling mesh links. */
export const WAIT_FOR_SFU_MS = 3000;

export type RoutePhase =
	/** Peer-to-peer only. */
	| 'mesh'
	/** The SFU is up, mesh links are kept (and dialled) until everyone's video decodes on the SFU or the deadline passes. */
	| 'to-sfu'
	/** Past the deadline: SFU streams shown where they decode, no new mesh links, not yet said to be on the SFU. */
	| 'sfu-overdue'
	/** Everyone decodes on the SFU, and this device said so. */
	| 'sfu'
	/** The SFU was lost while on it: retrying, dialling no mesh links. */
	| 'sfu-lost'
	/** The server said mesh: dialling mesh links while the SFU still carries everyone. */
	| 'to-mesh'
	/** Everyone decodes on mesh, and this device said so: still publishing to the SFU until everyone else has moved back. */
	| 'leaving-sfu';

export type RoutePeer = { peerId: string; route: 'mesh' | 'sfu' };

export type RouteState = {
	phase: RoutePhase;
	/** This device's peer id. */
	self: string;
	/** Everyone in the call (this device too), with the route each says it receives on. */
	participants: readonly RoutePeer[];
	server: ServerCall | null;
	/** The videoroom of the SFU links in use, or null when there are none. */
	room: number | null;
	/** SFU links are being started. */
	starting: boolean;
	/** A switch is watched (polled) until it completes; `deadline` is when a move to the SFU stops waiting. */
	watching: boolean;
	deadline: number;
	/** A decoding check is under way. */
	checking: boolean;
	/** Peer ids whose video decoded on the SFU at the last check. */
	sfuDecoding: readonly string[];
	/** Until then a joiner waits for the SFU instead of dialling (0: has not waited). */
	waitUntil: number;
	/** The route this device says it receives the call on. */
	published: 'mesh' | 'sfu';
};

export type RouteEvent =
	| { type: 'awareness'; participants: readonly RoutePeer[]; server: ServerCall | null; now: number }
	| { type: 'sfu-up'; room: number; now: number }
	/** `room`: the videoroom the failed links were given (0 if they failed before asking). */
	| { type: 'sfu-failed'; room: number }
	| { type: 'sfu-lost' }
	| { type: 'tick' }
	| { type: 'checked'; path: 'mesh' | 'sfu'; arrived: ReadonlySet<string>; now: number }
	| { type: 'check-failed' };

export type RouteEffect =
	| { type: 'start-sfu' }
	| { type: 'close-sfu' }
	/** Look at awareness again after `after` ms, instead of any retry planned before. */
	| { type: 'retry'; after: number }
	/** Look at awareness again after `after` ms (besides any retry). */
	| { type: 'revisit'; after: number }
	| { type: 'watch' }
	| { type: 'unwatch' }
	/** Find which others' video decodes on `path`, and report it as 'checked'. */
	| { type: 'check'; path: 'mesh' | 'sfu' }
	| { type: 'publish'; route: 'mesh' | 'sfu' }
	| { type: 'hang-up-all-but'; keep: ReadonlySet<string> }
	/** Call the people this device dials (the older ones) that it has no link to yet. */
	| { type: 'dial' };

export type RouteStep = { state: RouteState; effects: RouteEffect[] };

export function initialRoute(self: string): RouteState {
	return { phase: 'mesh', self, participants: [], server: null, room: null, starting: false, watching: false, deadline: 0, checking: false, sfuDecoding: [], waitUntil: 0, published: 'mesh' };
}

/** Whether this device dials (and keeps dialling) mesh links. */
export const dialling = (state: RouteState): boolean => state.phase === 'mesh' || state.phase === 'to-sfu' || state.phase === 'to-mesh' || state.phase === 'leaving-sfu';

/** How the media flows, as the person should understand it. */
export function routeShown(state: RouteState): 'mesh' | 'sfu' | 'switching' {
	if (state.phase === 'to-sfu' || state.phase === 'to-mesh') return 'switching';
	return state.phase === 'sfu' || state.phase === 'sfu-overdue' ? 'sfu' : 'mesh';
}

/** Whether someone (whose media both paths carry) is shown from the SFU rather than their mesh link. */
export const prefersSfu = (state: RouteState, peerId: string): boolean => !dialling(state) && state.sfuDecoding.includes(peerId);

const wantedRoom = (server: ServerCall | null) => (server?.topology === 'sfu' ? server.janusRoom : null);
const others = (state: RouteState) => state.participants.filter((p) => p.peerId !== state.self);

function watch(state: RouteState, now: number, effects: RouteEffect[]): RouteState {
	effects.push({ type: 'watch' });
	return { ...state, watching: true, deadline: now + SWITCH_TIMEOUT_MS };
}

/** Closes what nobody needs any more: mesh links whose other end receives everyone from the SFU too; the SFU once everyone is back on mesh. */
function closeOldPath(state: RouteState, effects: RouteEffect[]): RouteState {
	if (!dialling(state) && state.published === 'sfu') {
		effects.push({ type: 'hang-up-all-but', keep: new Set(others(state).filter((p) => p.route === 'mesh').map((p) => p.peerId)) });
	}
	if (state.phase === 'leaving-sfu' && state.room !== null && others(state).every((p) => p.route === 'mesh')) {
		effects.push({ type: 'close-sfu' });
		return { ...state, phase: 'mesh', room: null };
	}
	return state;
}

/** After an SFU start: if the server announced another videoroom meanwhile (Janus restarted), go there now rather than at the next retry. */
function chaseNewRoom(state: RouteState, tried: number, effects: RouteEffect[]) {
	const wanted = wantedRoom(state.server);
	if (wanted !== null && wanted !== tried && state.room !== wanted) effects.push({ type: 'retry', after: 0 });
}

function onAwareness(state: RouteState, event: Extract<RouteEvent, { type: 'awareness' }>): RouteStep {
	const effects: RouteEffect[] = [];
	const { server, participants, now } = event;
	let next: RouteState = { ...state, participants, server };
	// Follow the server: onto its (new) videoroom, or back to mesh.
	const wanted = wantedRoom(server);
	if (wanted !== null && next.room !== wanted && !next.starting) {
		effects.push({ type: 'start-sfu' });
		next.starting = true;
	} else if (wanted === null && next.room !== null && !dialling(next)) {
		next = watch({ ...next, phase: 'to-mesh' }, now, effects);
	} else if (wanted === null && next.phase === 'sfu-lost') {
		next.phase = 'mesh';
	}
	// A switch under way goes where the server says.
	if (next.phase === 'to-sfu' && server?.topology !== 'sfu') next.phase = 'to-mesh';
	else if (next.phase === 'to-mesh' && server?.topology === 'sfu') next.phase = 'to-sfu';
	next = closeOldPath(next, effects);
	// A joiner need not build mesh links the server is about to replace: it waits a moment for the SFU.
	const sfuComing = server?.sfu === true && server.topology === 'mesh' && participants.length >= SFU_FROM;
	if (sfuComing && next.waitUntil === 0) {
		next.waitUntil = now + WAIT_FOR_SFU_MS;
		effects.push({ type: 'revisit', after: WAIT_FOR_SFU_MS });
	}
	const waiting = sfuComing && now < next.waitUntil;
	const present = participants.some((p) => p.peerId === state.self);
	if (!waiting && present && dialling(next) && server?.topology !== 'sfu') effects.push({ type: 'dial' });
	return { state: next, effects };
}

function onChecked(state: RouteState, event: Extract<RouteEvent, { type: 'checked' }>): RouteStep {
	const effects: RouteEffect[] = [];
	let next: RouteState = { ...state, checking: false };
	const toSfu = event.path === 'sfu';
	// The SFU went, or the switch turned round, while checking: the next tick checks again.
	const current = state.phase === 'to-mesh' ? 'mesh' : 'sfu';
	if (next.room === null || !watched(state) || event.path !== current) return { state: next, effects };
	if (toSfu) next.sfuDecoding = [...event.arrived];
	const all = others(next).every((p) => event.arrived.has(p.peerId));
	if (toSfu && (all || event.now >= next.deadline)) next.phase = all ? 'sfu' : 'sfu-overdue';
	if (all) {
		effects.push({ type: 'unwatch' }, { type: 'publish', route: event.path });
		next = { ...next, watching: false, published: event.path, phase: toSfu ? 'sfu' : 'leaving-sfu' };
		next = closeOldPath(next, effects);
	}
	return { state: next, effects };
}

const watched = (state: RouteState) => state.phase === 'to-sfu' || state.phase === 'to-mesh' || state.phase === 'sfu-overdue';

export function routeReducer(state: RouteState, event: RouteEvent): RouteStep {
	switch (event.type) {
		case 'awareness':
			return onAwareness(state, event);
		case 'sfu-up': {
			const effects: RouteEffect[] = [];
			let next: RouteState = { ...state, starting: false, room: event.room };
			if (dialling(state)) next = watch({ ...next, phase: state.server?.topology === 'sfu' ? 'to-sfu' : 'to-mesh' }, event.now, effects);
			else if (state.phase === 'sfu-lost') next.phase = state.watching ? 'sfu-overdue' : 'sfu';
			chaseNewRoom(next, event.room, effects);
			return { state: next, effects };
		}
		case 'sfu-failed': {
			const effects: RouteEffect[] = [{ type: 'retry', after: SFU_RETRY_MS }];
			const next = { ...state, starting: false };
			// Failed before asking for a videoroom (e.g. the app server refused): only the retry, not at once.
			if (event.room !== 0) chaseNewRoom(next, event.room, effects);
			return { state: next, effects };
		}
		case 'sfu-lost': {
			const effects: RouteEffect[] = [{ type: 'retry', after: SFU_RETRY_MS }];
			if (!dialling(state)) return { state: { ...state, room: null, phase: 'sfu-lost' }, effects };
			// Mesh links carry the call: say so, so that nobody keeps publishing to the SFU for this device.
			if (state.published === 'sfu') effects.push({ type: 'publish', route: 'mesh' });
			if (state.watching) effects.push({ type: 'unwatch' });
			return { state: { ...state, room: null, phase: 'mesh', watching: false, published: 'mesh' }, effects };
		}
		case 'tick':
			if (!state.watching || !watched(state) || state.room === null || state.checking) return { state, effects: [] };
			return { state: { ...state, checking: true }, effects: [{ type: 'check', path: state.phase === 'to-mesh' ? 'mesh' : 'sfu' }] };
		case 'checked':
			return onChecked(state, event);
		case 'check-failed':
			return { state: { ...state, checking: false }, effects: [] };
	}
}
