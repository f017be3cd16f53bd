import type { MediaConnection, Peer as PeerType } from 'peerjs';
import type { Awareness } from 'y-protocols/awareness';
import { peersToCall } from './call-machine.ts';
import { deviceKind, participantsOf, type CallParticipant, type CallPresence } from './presence.ts';
import { lossBetween, scoreQuality, type Quality } from './quality.ts';

export type RemotePeer = {
	peerId: string;
	userId: string;
	stream: MediaStream | null;
	quality: Quality;
	/** Loudness 0–1 from the last stats reading, for the active speaker. */
	audioLevel: number;
};

type Connection = { media: MediaConnection; stats?: { lost: number; received: number; bytes: number } };

const STATS_MS = 2000;

/**
 * A peer-to-peer call (PeerJS mesh): publishes this person's call state on the room's
 * awareness, calls everyone who joined earlier, answers those who join later, and keeps
 * the connections healthy. Framework-free; the Svelte side only renders `onChange` state.
 */
export class MeshCall {
	readonly #awareness: Awareness;
	readonly #peerId: string;
	readonly #userId: string;
	#peer: PeerType | null = null;
	#local: MediaStream;
	#camera: MediaStreamTrack | null;
	#screen: MediaStream | null = null;
	readonly #connections = new Map<string, Connection>();
	readonly remotes = new Map<string, RemotePeer>();
	readonly #listeners = new Set<() => void>();
	#presence: CallPresence;
	#statsTimer: ReturnType<typeof setInterval> | undefined;
	#iceServers: RTCIceServer[];
	participants: CallParticipant[] = [];
	error = '';

	#relayOnly: boolean;

	constructor(options: { awareness: Awareness; peerId: string; userId: string; stream: MediaStream; iceServers: RTCIceServer[]; audio: boolean; video: boolean; relayOnly?: boolean }) {
		this.#relayOnly = options.relayOnly ?? false;
		this.#awareness = options.awareness;
		this.#peerId = options.peerId;
		this.#userId = options.userId;
		this.#local = options.stream;
		this.#iceServers = options.iceServers;
		this.#camera = options.stream.getVideoTracks()[0] ?? null;
		for (const track of options.stream.getAudioTracks()) track.enabled = options.audio;
		for (const track of options.stream.getVideoTracks()) track.enabled = options.video;
		this.#presence = { peerId: options.peerId, joinedAt: Date.now(), audio: options.audio, video: options.video, screen: false, device: deviceKind(navigator.userAgent) };
	}

	get localStream(): MediaStream {
		return this.#local;
	}

	get presence(): CallPresence {
		return this.#presence;
	}

	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#emit() {
		for (const listener of this.#listeners) listener();
	}

	/** Connects to the signalling server, announces the call on awareness and calls the people already in it. */
	async join(): Promise<void> {
		const { Peer } = await import('peerjs');
		const secure = location.protocol === 'https:';
		const peer = new Peer(this.#peerId, {
			host: location.hostname,
			port: Number(location.port || (secure ? 443 : 80)),
			path: '/peerjs/',
			secure,
			key: 'parley',
			// "Always relay" hides one's IP address from the others, at the cost of going through TURN.
			config: { iceServers: this.#iceServers, iceTransportPolicy: this.#relayOnly ? 'relay' : 'all' },
			debug: 0
		});
		this.#peer = peer;
		await new Promise<void>((resolve, reject) => {
			peer.once('open', () => resolve());
			peer.once('error', (error) => reject(new Error(`Could not reach the call server: ${error.message}`)));
		});
		peer.on('call', (media) => {
			// Only people in this room's call (on its awareness) are answered.
			if (!this.participants.some((p) => p.peerId === media.peer)) return media.close();
			media.answer(this.#local);
			this.#track(media);
		});
		peer.on('disconnected', () => {
			if (!peer.destroyed) peer.reconnect();
		});
		addEventListener('online', this.#onAwareness);
		this.#awareness.on('change', this.#onAwareness);
		this.#awareness.setLocalStateField('call', this.#presence);
		this.#onAwareness();
		this.#statsTimer = setInterval(() => void this.#readStats(), STATS_MS);
	}

	#onAwareness = () => {
		this.participants = participantsOf(this.#awareness.getStates() as never);
		const me = this.participants.find((p) => p.peerId === this.#peerId);
		const present = new Set(this.participants.map((p) => p.peerId));
		// Hang up on people who left.
		for (const [peerId, connection] of this.#connections) {
			if (!present.has(peerId)) {
				connection.media.close();
				this.#connections.delete(peerId);
				this.remotes.delete(peerId);
			}
		}
		if (me && this.#peer) {
			for (const peerId of peersToCall(me, this.participants)) {
				if (this.#connections.has(peerId)) continue;
				const media = this.#peer.call(peerId, this.#local, { metadata: { userId: this.#userId } });
				if (media) this.#track(media);
			}
		}
		this.#emit();
	};

	#track(media: MediaConnection) {
		const userId = this.participants.find((p) => p.peerId === media.peer)?.userId ?? '';
		this.#connections.set(media.peer, { media });
		this.remotes.set(media.peer, { peerId: media.peer, userId, stream: null, quality: 'unknown', audioLevel: 0 });
		media.on('stream', (stream) => {
			const remote = this.remotes.get(media.peer);
			if (remote) remote.stream = stream;
			this.#emit();
		});
		media.on('close', () => {
			this.#connections.delete(media.peer);
			this.remotes.delete(media.peer);
			this.#emit();
		});
		media.peerConnection?.addEventListener('connectionstatechange', () => {
			// A failed path (e.g. after a network change): hang up this link; the newer of the two
			// dials again at once (see #onAwareness), so the call comes back within seconds.
			if (media.peerConnection.connectionState === 'failed') {
				media.close();
				this.#connections.delete(media.peer);
				this.remotes.delete(media.peer);
				setTimeout(this.#onAwareness, 500);
			}
		});
		this.#emit();
	}

	async #readStats() {
		for (const [peerId, connection] of this.#connections) {
			const pc = connection.media.peerConnection;
			if (!pc) continue;
			const report = await pc.getStats();
			let rtt: number | undefined;
			let lost = 0;
			let received = 0;
			let bytes = 0;
			let level = 0;
			report.forEach((s) => {
				if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) rtt = s.currentRoundTripTime;
				if (s.type === 'inbound-rtp') {
					lost += s.packetsLost ?? 0;
					received += s.packetsReceived ?? 0;
					if (s.kind === 'video') bytes += s.bytesReceived ?? 0;
					if (s.kind === 'audio') level = Math.max(level, s.audioLevel ?? 0);
				}
			});
			const remote = this.remotes.get(peerId);
			if (!remote) continue;
			const before = connection.stats;
			const sample = { lost, received, bytes };
			const bitrate = before ? (((bytes - before.bytes) * 8) / STATS_MS) * 1000 : undefined;
			const expectVideo = this.participants.find((p) => p.peerId === peerId)?.video ?? true;
			remote.quality = scoreQuality({ rttSeconds: rtt, lossFraction: before ? lossBetween(before, sample) : undefined, bitrateBps: bitrate, expectVideo });
			remote.audioLevel = level;
			connection.stats = sample;
		}
		this.#emit();
	}

	#publish(change: Partial<CallPresence>) {
		this.#presence = { ...this.#presence, ...change };
		this.#awareness.setLocalStateField('call', this.#presence);
		this.#emit();
	}

	setAudio(on: boolean) {
		for (const track of this.#local.getAudioTracks()) track.enabled = on;
		this.#publish({ audio: on });
	}

	setVideo(on: boolean) {
		if (this.#camera) this.#camera.enabled = on;
		this.#publish({ video: on });
	}

	#senders(kind: 'audio' | 'video'): RTCRtpSender[] {
		return [...this.#connections.values()].flatMap((c) => c.media.peerConnection?.getSenders().filter((s) => s.track?.kind === kind || (s.track === null && kind === 'video')) ?? []);
	}

	async #replace(kind: 'audio' | 'video', track: MediaStreamTrack) {
		await Promise.all(this.#senders(kind).map((sender) => sender.replaceTrack(track)));
		const old = kind === 'audio' ? this.#local.getAudioTracks()[0] : this.#local.getVideoTracks()[0];
		if (old && old !== track) this.#local.removeTrack(old);
		if (!this.#local.getTracks().includes(track)) this.#local.addTrack(track);
	}

	async shareScreen(): Promise<void> {
		const screen = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
		const track = screen.getVideoTracks()[0];
		this.#screen = screen;
		// The browser's own "Stop sharing" ends the track: go back to the camera.
		track.addEventListener('ended', () => void this.stopSharing());
		await this.#replace('video', track);
		this.#publish({ screen: true });
	}

	async stopSharing(): Promise<void> {
		if (!this.#screen) return;
		for (const track of this.#screen.getTracks()) track.stop();
		this.#screen = null;
		if (this.#camera) await this.#replace('video', this.#camera);
		this.#publish({ screen: false });
	}

	async useMicrophone(deviceId: string): Promise<void> {
		const stream = await navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: deviceId } } });
		const track = stream.getAudioTracks()[0];
		track.enabled = this.#presence.audio;
		const old = this.#local.getAudioTracks()[0];
		await this.#replace('audio', track);
		old?.stop();
	}

	async useCamera(deviceId: string): Promise<void> {
		const stream = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: deviceId }, width: { ideal: 640 }, height: { ideal: 480 } } });
		const track = stream.getVideoTracks()[0];
		track.enabled = this.#presence.video;
		const old = this.#camera;
		this.#camera = track;
		if (!this.#screen) await this.#replace('video', track);
		old?.stop();
	}

	leave(): void {
		clearInterval(this.#statsTimer);
		removeEventListener('online', this.#onAwareness);
		this.#awareness.off('change', this.#onAwareness);
		this.#awareness.setLocalStateField('call', null);
		for (const connection of this.#connections.values()) connection.media.close();
		this.#connections.clear();
		this.remotes.clear();
		this.#peer?.destroy();
		for (const track of [...this.#local.getTracks(), ...(this.#screen?.getTracks() ?? []), ...(this.#camera ? [this.#camera] : [])]) track.stop();
		this.#emit();
	}
}
