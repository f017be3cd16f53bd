import type { RemotePeer } from './call.ts';

/** Below this loudness (0–1) nobody counts as speaking: background noise on an open microphone. */
export const SPEAKING_LEVEL = 0.05;

/**
 * Who is the active speaker: the loudest remote above SPEAKING_LEVEL, or nobody. On the SFU,
 * Janus' talking events say who speaks (counted as fully loud); peer-to-peer, the stream's
 * audio level from the last stats reading does. Decided afresh on every reading, with no hold time.
 */
export function activeSpeaker(remotes: Iterable<Pick<RemotePeer, 'peerId' | 'audioLevel' | 'talking' | 'viaSfu'>>): string | null {
	let best: { peerId: string; level: number } | null = null;
	for (const remote of remotes) {
		const level = remote.viaSfu ? (remote.talking ? 1 : 0) : remote.audioLevel;
		if (level > SPEAKING_LEVEL && (!best || level > best.level)) best = { peerId: remote.peerId, level };
	}
	return best?.peerId ?? null;
}
