/**
 * Peer-to-peer media (PeerJS over the server's /peerjs signalling): one link to each other
 * person. The newer participant dials the older ones (the call says whom, `peersToCall`); a call
 * from someone whose presence has not arrived yet is held until it does.
 */
import type { MediaConnection, Peer as PeerType } from 'peerjs';
import type { Device, MeshContext, MeshRoute, RemoteMedia } from './call-links.ts';
import type { CallParticipant } from '../core/call/presence.ts';
import { decodingVideo, QualityMeter, readInbound, sendersOf } from './rtc-stats.ts';

/**
 * A caller's offer (signalling) can arrive before their presence (awareness, through the sync
 * service): their call waits this long to be answered instead of being refused, which would leave
 * the caller waiting for an answer that never comes.
 */
const UNKNOWN_CALLER_MS = 10_000;
/** After a link failed, the call looks again at whom to dial this much later. */
const REDIAL_MS = 500;

/** Loads PeerJS ahead of need (on the pre-join screen), so that Join does not wait for it. */
export function preloadMesh(): void {
	void import('peerjs');
}

export class MeshLinks implements MeshRoute {
	readonly #context: MeshContext;
	#peer: PeerType | null = null;
	readonly #links = new Map<string, MediaConnection>();
	readonly #remotes = new Map<string, RemoteMedia>();
	/** Calls from peers not yet on awareness, answered once they are there (or closed after UNKNOWN_CALLER_MS). */
	readonly #held = new Map<string, MediaConnection>();
	readonly #quality = new QualityMeter();
	/** People whose link failed and is being dialled again: their tile says so until media flows on the new one. */
	readonly #lost = new Set<string>();

	constructor(context: MeshContext) {
		this.#context = context;
	}

	async start(): Promise<void> {
		const { Peer } = await import('peerjs');
		const secure = location.protocol === 'https:';
		const peer = new Peer(this.#context.peerId, {
			host: location.hostname,
			port: Number(location.port || (secure ? 443 : 80)),
			path: '/peerjs/',
			secure,
			key: 'parley',
			// "Always relay" hides one's IP address from the others, at the cost of going through TURN.
			config: { iceServers: this.#context.iceServers, iceTransportPolicy: this.#context.relayOnly ? 'relay' : 'all' },
			debug: 0
		});
		this.#peer = peer;
		await new Promise<void>((resolve, reject) => {
			peer.once('open', () => resolve());
			peer.once('error', (error) => reject(new Error(`Could not reach the call server: ${error.message}`)));
		});
		peer.on('call', (media) => {
			// Only people in this room's call (on its awareness) are answered; their presence may still be on its way.
			if (this.#context.participants().some((p) => p.peerId === media.peer)) return this.#answer(media);
			this.#held.get(media.peer)?.close();
			this.#held.set(media.peer, media);
			setTimeout(() => {
				if (this.#held.get(media.peer) !== media) return;
				this.#held.delete(media.peer);
				media.close();
			}, UNKNOWN_CALLER_MS);
		});
		peer.on('disconnected', () => {
			if (!peer.destroyed) peer.reconnect();
		});
	}

	follow(participants: readonly CallParticipant[]) {
		const present = new Set(participants.map((p) => p.peerId));
		for (const [peerId, media] of this.#held) {
			if (!present.has(peerId)) continue;
			this.#held.delete(peerId);
			this.#answer(media);
		}
		for (const peerId of new Set([...this.#links.keys(), ...this.#remotes.keys()])) if (!present.has(peerId)) this.#hangUp(peerId);
	}

	dial(peerIds: readonly string[]) {
		if (!this.#peer) return;
		for (const peerId of peerIds) {
			if (this.#links.has(peerId)) continue;
			const media = this.#peer.call(peerId, this.#context.stream, { metadata: { userId: this.#context.userId } });
			if (media) this.#track(media);
		}
	}

	hangUpAllBut(keep: ReadonlySet<string>) {
		for (const peerId of this.#links.keys()) if (!keep.has(peerId)) this.#hangUp(peerId);
	}

	remote(device: Device): RemoteMedia | undefined {
		return this.#remotes.get(device.peerId);
	}

	async decoding(devices: readonly Device[]): Promise<Set<string>> {
		const peers = new Set<string>();
		await Promise.all(
			devices.map(async ({ peerId }) => {
				const report = await this.#links.get(peerId)?.peerConnection?.getStats();
				if (report && decodingVideo(report, () => peerId).size) peers.add(peerId);
			})
		);
		return peers;
	}

	async readStats(): Promise<void> {
		for (const [peerId, media] of this.#links) {
			const pc = media.peerConnection;
			if (!pc) continue;
			const { rtt, devices } = readInbound(await pc.getStats(), () => peerId);
			const remote = this.#remotes.get(peerId);
			if (!remote) continue;
			const sample = devices.get(peerId) ?? { lost: 0, received: 0, bytes: 0, level: 0 };
			const expectVideo = this.#context.participants().find((p) => p.peerId === peerId)?.video ?? true;
			remote.quality = this.#quality.score(peerId, sample, rtt, expectVideo);
			remote.audioLevel = sample.level;
		}
	}

	async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack): Promise<void> {
		const senders = [...this.#links.values()].flatMap((media) => sendersOf(media.peerConnection, kind));
		await Promise.all(senders.map((sender) => sender.replaceTrack(track)));
	}

	close() {
		const open = [...this.#links.values(), ...this.#held.values()];
		this.#links.clear();
		this.#held.clear();
		this.#remotes.clear();
		this.#lost.clear();
		for (const media of open) media.close();
		this.#peer?.destroy();
	}

	#answer(media: MediaConnection) {
		media.answer(this.#context.stream);
		this.#track(media);
	}

	#hangUp(peerId: string) {
		// Forgotten first: the link's 'close' then knows it was hung up, not broken.
		const media = this.#links.get(peerId);
		this.#links.delete(peerId);
		this.#remotes.delete(peerId);
		this.#lost.delete(peerId);
		media?.close();
	}

	#track(media: MediaConnection) {
		this.#links.set(media.peer, media);
		this.#remotes.set(media.peer, { stream: null, quality: 'unknown', audioLevel: 0, reconnecting: this.#lost.has(media.peer) });
		this.#quality.forget(media.peer);
		const current = () => (this.#links.get(media.peer) === media ? this.#remotes.get(media.peer) : undefined);
		media.on('stream', (stream) => {
			const remote = current();
			if (!remote) return;
			remote.stream = stream;
			remote.reconnecting = false;
			this.#lost.delete(media.peer);
			this.#context.onChange();
		});
		const lost = () => {
			// The path failed (a network change, a relay gone): this link is over; the newer of the two
			// dials again at once, so the call comes back within seconds. Until then the tile says so.
			this.#links.delete(media.peer);
			this.#lost.add(media.peer);
			this.#remotes.set(media.peer, { stream: null, quality: 'poor', audioLevel: 0, reconnecting: true });
			this.#context.onChange();
			setTimeout(this.#context.onLinkFailed, REDIAL_MS);
		};
		media.on('close', () => {
			if (this.#links.get(media.peer) !== media) return;
			// Closed under us while they are still in the call (PeerJS closes a link whose ICE failed): it broke.
			if (this.#context.participants().some((p) => p.peerId === media.peer)) return lost();
			this.#links.delete(media.peer);
			this.#remotes.delete(media.peer);
			this.#context.onChange();
		});
		media.peerConnection?.addEventListener('connectionstatechange', () => {
			const state = media.peerConnection?.connectionState;
			const remote = current();
			if (!remote) return;
			if (state === 'failed') {
				lost();
				media.close();
			} else if (state === 'disconnected' || (state === 'connected' && remote.stream)) {
				// Lost its path for now; ICE may find it again by itself (then 'connected').
				const reconnecting = state === 'disconnected';
				if (remote.reconnecting === reconnecting) return;
				remote.reconnecting = reconnecting;
				this.#context.onChange();
			}
		});
		this.#context.onChange();
	}
}
