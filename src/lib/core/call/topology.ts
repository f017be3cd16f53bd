/**
 * The one place that decides a call's topology: peer-to-peer mesh while small, the SFU from
 * the fifth participant, and back to mesh only after the call has stayed at three or fewer for
 * a while, so it never flaps. Pure and deterministic; the server feeds it call membership (from
 * awareness), coalescing changes that arrive together so a burst of joins and leaves is decided
 * once on the settled count, and announces each decision to the whole call, so nobody can be
 * split from the others.
 */
import { SFU_FROM } from './presence.ts';

export const MESH_BELOW_OR_AT = 3;
export const MESH_AGAIN_AFTER_MS = 30_000;
/** Without an SFU, mesh calls stretch to six, then refuse. */
export const MESH_ONLY_LIMIT = 6;

export type Topology = { mode: 'mesh' } | { mode: 'sfu'; since: number; lowSince: number | null };

export type Decision = { topology: Topology; changed: boolean; admit: boolean };

/**
 * Next topology for a call with `count` participants at time `now`. `sfuAvailable` is whether an
 * SFU can take the call. `admit` says whether a newly joined participant may stay (mesh without SFU is capped).
 */
export function decideTopology(current: Topology, count: number, now: number, sfuAvailable: boolean): Decision {
	if (count === 0) return { topology: { mode: 'mesh' }, changed: current.mode !== 'mesh', admit: true };
	if (current.mode === 'mesh') {
		if (count >= SFU_FROM && sfuAvailable) return { topology: { mode: 'sfu', since: now, lowSince: null }, changed: true, admit: true };
		return { topology: current, changed: false, admit: sfuAvailable || count <= MESH_ONLY_LIMIT };
	}
	if (count > MESH_BELOW_OR_AT) return { topology: { ...current, lowSince: null }, changed: false, admit: true };
	const lowSince = current.lowSince ?? now;
	if (now - lowSince >= MESH_AGAIN_AFTER_MS) return { topology: { mode: 'mesh' }, changed: true, admit: true };
	return { topology: { ...current, lowSince }, changed: false, admit: true };
}
