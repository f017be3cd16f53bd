import type { MediaConnection, Peer as PeerType } from 'peerjs';
import type { Awareness } from 'y-protocols/awareness';
import { peersToCall } from './call-machine.ts';
import { deviceKind, participantsOf, serverCallOf, SFU_FROM, type CallParticipant, type CallPresence, type ServerCall } from '../core/call/presence.ts';
import { lossBetween, scoreQuality, type Quality } from './quality.ts';
import { sfuKey } from '../core/call/sfu-display.ts';
import { preloadSfu, SfuLinks, type SfuJoin } from './sfu-links.ts';

export type RemotePeer = {
	peerId: string;
	userId: string;
	stream: MediaStream | null;
	quality: Quality;
	/** Loudness 0–1 from the last stats reading, for the active speaker (mesh). */
	audioLevel: number;
	/** The SFU says this person is talking (Janus audio-level events). */
	talking?: boolean;
	/** Received through the SFU rather than peer-to-peer. */
	viaSfu?: boolean;
};

type Connection = { media: MediaConnection; stats?: { lost: number; received: number; bytes: number } };

const STATS_MS = 2000;
/** After this long, a move to the SFU shows what decodes there even if not everyone does yet. */
const SWITCH_TIMEOUT_MS = 8000;
/** After losing the SFU, try again this often until the server announces a new videoroom. */
const SFU_RETRY_MS = 1500;
const SWITCH_POLL_MS = 200;
const WAIT_FOR_SFU_MS = 3000;
/**
 * A caller's offer (signalling) can arrive before their presence (awareness, through the sync
 * service): their call waits this long to be answered instead of being refused, which would leave
 * the caller waiting for an answer that never comes.
 */
const UNKNOWN_CALLER_MS = 10_000;

/** Loads PeerJS ahead of need (on the pre-join screen), so that Join does not wait for it. */
export function preloadMesh(): void {
	void import('peerjs');
}

/**
 * One person's call: publishes their call state on the room's awareness and carries the media
 * the way the server says (its `server.call` awareness entry): peer-to-peer (PeerJS mesh; the
 * newer participant dials the older ones) or through the SFU (`SfuLinks`). A switch is
 * make-before-break: the new path is set up, and the old one is closed only once everyone is
 * seen on the new one. Framework-free; the Svelte side only renders `onChange` state.
 */
export class Call {
	readonly #awareness: Awareness;
	readonly #peerId: string;
	readonly #userId: string;
	#peer: PeerType | null = null;
	#local: MediaStream;
	#camera: MediaStreamTrack | null;
	#screen: MediaStream | null = null;
	readonly #connections = new Map<string, Connection>();
	readonly #meshRemotes = new Map<string, RemotePeer>();
	/** Calls from peers not yet on awareness, answered once they are there (or closed after UNKNOWN_CALLER_MS). */
	readonly #heldCalls = new Map<string, MediaConnection>();
	/** Whether this client dials mesh links (false once the call has moved to the SFU). */
	#meshOn = true;
	#sfu: SfuLinks | null = null;
	#sfuRetry: ReturnType<typeof setTimeout> | undefined;
	readonly #getSfuJoin: () => Promise<SfuJoin>;
	#tileHeight = 480;
	/** What the server says about this call (topology, videoroom, limit). */
	#server: ServerCall | null = null;
	readonly #listeners = new Set<() => void>();
	#presence: CallPresence;
	#statsTimer: ReturnType<typeof setInterval> | undefined;
	#iceServers: RTCIceServer[];
	participants: CallParticipant[] = [];
	error = '';

	#relayOnly: boolean;
	#left = false;
	#sfuStarting = false;
	/** A switch is being watched: until everyone's video decodes on the new path, or the deadline. */
	#switchPoll: ReturnType<typeof setInterval> | undefined;
	#switchDeadline = 0;
	#checking = false;
	/** Devices (`sfuKey`s) whose video decodes on the SFU (checked while mesh links are still open). */
	#sfuDecoding = new Set<string>();
	/** Until then, a fifth joiner waits for the SFU instead of dialling mesh links. */
	#sfuWaitUntil = 0;
	/** Back on mesh, still publishing to the SFU until everyone has moved back. */
	#leavingSfu = false;

	constructor(options: {
		awareness: Awareness;
		peerId: string;
		userId: string;
		stream: MediaStream;
		iceServers: RTCIceServer[];
		audio: boolean;
		video: boolean;
		relayOnly?: boolean;
		/** Asks the app server for tokens to join the call's videoroom. */
		getSfuJoin: () => Promise<SfuJoin>;
	}) {
		this.#relayOnly = options.relayOnly ?? false;
		this.#getSfuJoin = options.getSfuJoin;
		this.#awareness = options.awareness;
		this.#peerId = options.peerId;
		this.#userId = options.userId;
		this.#local = options.stream;
		this.#iceServers = options.iceServers;
		this.#camera = options.stream.getVideoTracks()[0] ?? null;
		for (const track of options.stream.getAudioTracks()) track.enabled = options.audio;
		for (const track of options.stream.getVideoTracks()) track.enabled = options.video;
		this.#presence = { peerId: options.peerId, joinedAt: Date.now(), audio: options.audio, video: options.video, screen: false, device: deviceKind(navigator.userAgent), route: 'mesh' };
	}

	get localStream(): MediaStream {
		return this.#local;
	}

	get presence(): CallPresence {
		return this.#presence;
	}

	/** How the media flows right now, as the person should understand it. */
	get route(): 'mesh' | 'sfu' | 'switching' {
		if (this.#sfu && this.#meshOn && !this.#leavingSfu) return 'switching';
		if (this.#leavingSfu) return 'mesh';
		return this.#sfu ? 'sfu' : 'mesh';
	}

	/**
	 * Everyone else as received now: through the SFU when it carries them, otherwise the mesh link
	 * (during a switch, whichever already has their media).
	 */
	get remotes(): Map<string, RemotePeer> {
		const merged = new Map<string, RemotePeer>();
		const links = this.#sfu;
		for (const p of this.participants) {
			if (p.peerId === this.#peerId) continue;
			const mesh = this.#meshRemotes.get(p.peerId);
			// A feed counts only for the person the server named in it (its display), on this device.
			const key = sfuKey(p.userId, p.peerId);
			const sfu = links?.remotes.get(key);
			const sfuStream = sfu ? (sfu.screen ?? sfu.camera) : null;
			// The SFU's stream once its video decodes (or when there is no mesh stream to show instead).
			if (links && sfu && sfuStream && (!mesh?.stream || (!this.#meshOn && this.#sfuDecoding.has(key)))) {
				merged.set(p.peerId, { peerId: p.peerId, userId: p.userId, stream: sfuStream, quality: sfu.quality, audioLevel: 0, talking: links.isTalking(key), viaSfu: true });
			} else if (mesh) {
				merged.set(p.peerId, mesh);
			}
		}
		return merged;
	}

	/** Tiles are this tall: on the SFU, receive the simulcast layer that fits. */
	setTileHeight(px: number) {
		this.#tileHeight = px;
		this.#sfu?.setTileHeight(px);
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
		if (serverCallOf(this.#awareness.getStates() as never)?.sfu) preloadSfu();
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
			// Only people in this room's call (on its awareness) are answered; their presence may still be on its way.
			if (this.participants.some((p) => p.peerId === media.peer)) return this.#answer(media);
			this.#heldCalls.get(media.peer)?.close();
			this.#heldCalls.set(media.peer, media);
			setTimeout(() => {
				if (this.#heldCalls.get(media.peer) !== media) return;
				this.#heldCalls.delete(media.peer);
				media.close();
			}, UNKNOWN_CALLER_MS);
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

	#answer(media: MediaConnection) {
		media.answer(this.#local);
		this.#track(media);
	}

	#onAwareness = () => {
		const states = this.#awareness.getStates() as never;
		this.participants = participantsOf(states);
		this.#server = serverCallOf(states);
		const me = this.participants.find((p) => p.peerId === this.#peerId);
		const present = new Set(this.participants.map((p) => p.peerId));
		for (const [peerId, media] of this.#heldCalls) {
			if (!present.has(peerId)) continue;
			this.#heldCalls.delete(peerId);
			this.#answer(media);
		}
		// Hang up on people who left.
		for (const [peerId, connection] of this.#connections) {
			if (!present.has(peerId)) {
				connection.media.close();
				this.#connections.delete(peerId);
				this.#meshRemotes.delete(peerId);
			}
		}
		this.#followServer();
		this.#closeOldPath();
		// The fifth joiner need not build mesh links the server is about to replace: it waits a moment for the SFU.
		const sfuComing = this.#server?.sfu === true && this.#server.topology === 'mesh' && this.participants.length >= SFU_FROM;
		if (sfuComing && this.#sfuWaitUntil === 0) {
			this.#sfuWaitUntil = Date.now() + WAIT_FOR_SFU_MS;
			setTimeout(() => this.#onAwareness(), WAIT_FOR_SFU_MS);
		}
		const waiting = sfuComing && Date.now() < this.#sfuWaitUntil;
		if (!waiting && me && this.#peer && this.#meshOn && this.#server?.topology !== 'sfu') {
			for (const peerId of peersToCall(me, this.participants)) {
				if (this.#connections.has(peerId)) continue;
				const media = this.#peer.call(peerId, this.#local, { metadata: { userId: this.#userId } });
				if (media) this.#track(media);
			}
		}
		this.#emit();
	};

	/** Moves to the topology the server announced: onto the (new) videoroom, or back to mesh. */
	#followServer() {
		const wanted = this.#server?.topology === 'sfu' ? this.#server.janusRoom : null;
		if (wanted !== null && this.#sfu?.room !== wanted && !this.#sfuStarting) {
			void this.#startSfu();
		} else if (wanted === null && this.#sfu && !this.#meshOn) {
			// Back to mesh: dial (below) while the SFU still carries everyone.
			this.#meshOn = true;
			this.#armSwitchTimeout();
		}
	}

	async #startSfu() {
		this.#sfuStarting = true;
		clearTimeout(this.#sfuRetry);
		const old = this.#sfu;
		const links = new SfuLinks({ peerId: this.#peerId, getJoin: this.#getSfuJoin, relayOnly: this.#relayOnly });
		links.onChange = () => this.#emit();
		links.videoExpected = (key) => this.participants.find((p) => sfuKey(p.userId, p.peerId) === key)?.video ?? true;
		links.onLost = (reason) => {
			if (this.#sfu !== links) return;
			console.warn('Lost the SFU:', reason);
			links.close();
			this.#sfu = null;
			this.#emit();
			// Janus restarts and the server announces a new videoroom; until then, keep trying this one.
			this.#sfuRetry = setTimeout(() => this.#onAwareness(), SFU_RETRY_MS);
		};
		try {
			await links.start({ audio: this.#local.getAudioTracks()[0] ?? null, camera: this.#camera });
			if (this.#left) return links.close();
			if (this.#screen) void links.publishScreen(this.#screen.getVideoTracks()[0]).catch(() => undefined);
			links.setTileHeight(this.#tileHeight);
			this.#sfu = links;
			this.#leavingSfu = false;
			old?.close();
			this.error = '';
			if (this.#meshOn) this.#armSwitchTimeout();
		} catch (error) {
			links.close();
			this.error = `Could not move the call to the server: ${(error as Error).message}`;
			this.#sfuRetry = setTimeout(() => this.#onAwareness(), SFU_RETRY_MS);
		} finally {
			this.#sfuStarting = false;
			this.#emit();
			// The server announced another videoroom meanwhile (Janus restarted): go there now, not at the next retry.
			const wanted = this.#server?.topology === 'sfu' ? this.#server.janusRoom : null;
			if (!this.#left && wanted !== null && wanted !== links.room && this.#sfu?.room !== wanted) {
				clearTimeout(this.#sfuRetry);
				this.#sfuRetry = setTimeout(() => this.#onAwareness(), 0);
			}
		}
	}

	/** Starts watching a switch: polls until everyone's video decodes on the new path (the deadline is checked there too). */
	#armSwitchTimeout() {
		clearInterval(this.#switchPoll);
		this.#switchDeadline = Date.now() + SWITCH_TIMEOUT_MS;
		this.#switchPoll = setInterval(() => void this.#finishSwitch(), SWITCH_POLL_MS);
	}

	/** People whose video is being decoded on a mesh link. */
	async #meshDecoding(): Promise<Set<string>> {
		const peers = new Set<string>();
		await Promise.all(
			[...this.#connections].map(async ([peerId, c]) => {
				const report = await c.media.peerConnection?.getStats();
				report?.forEach((s) => {
					if (s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0) peers.add(peerId);
				});
			})
		);
		return peers;
	}

	/**
	 * Closes what nobody needs any more. A mesh link has two ends: it goes once both have said they
	 * receive everyone from the SFU (`route: 'sfu'` on their presence). The SFU goes once everyone
	 * has said they are back on mesh.
	 */
	#closeOldPath() {
		const others = this.participants.filter((p) => p.peerId !== this.#peerId);
		if (!this.#meshOn && this.#presence.route === 'sfu') {
			for (const [peerId, connection] of this.#connections) {
				if (others.find((p) => p.peerId === peerId)?.route === 'mesh') continue;
				connection.media.close();
				this.#connections.delete(peerId);
				this.#meshRemotes.delete(peerId);
			}
		}
		if (this.#leavingSfu && this.#sfu && others.every((p) => p.route === 'mesh')) {
			this.#leavingSfu = false;
			this.#sfu.close();
			this.#sfu = null;
			this.#emit();
		}
	}

	/**
	 * Watches a switch until everyone's video decodes on the new path; only then says so on
	 * awareness (so the old path can close). Past the deadline, a move to the SFU shows the SFU
	 * streams that do decode and dials no more mesh links, but keeps the links it has.
	 */
	async #finishSwitch() {
		if (!this.#sfu || this.#leavingSfu || this.#checking) return;
		this.#checking = true;
		try {
			const toSfu = this.#server?.topology === 'sfu';
			const arrived = toSfu ? await this.#sfu.decodingPeers() : await this.#meshDecoding();
			if (!this.#sfu) return;
			if (toSfu) this.#sfuDecoding = arrived;
			const all = this.participants.every((p) => p.peerId === this.#peerId || arrived.has(toSfu ? sfuKey(p.userId, p.peerId) : p.peerId));
			if (toSfu && (all || Date.now() >= this.#switchDeadline)) this.#meshOn = false;
			if (all) {
				clearInterval(this.#switchPoll);
				this.#publish({ route: toSfu ? 'sfu' : 'mesh' });
				if (!toSfu) this.#leavingSfu = true;
				this.#closeOldPath();
			}
			this.#emit();
		} finally {
			this.#checking = false;
		}
	}

	#track(media: MediaConnection) {
		const userId = this.participants.find((p) => p.peerId === media.peer)?.userId ?? '';
		this.#connections.set(media.peer, { media });
		this.#meshRemotes.set(media.peer, { peerId: media.peer, userId, stream: null, quality: 'unknown', audioLevel: 0 });
		media.on('stream', (stream) => {
			const remote = this.#meshRemotes.get(media.peer);
			if (remote) remote.stream = stream;
			this.#emit();
		});
		media.on('close', () => {
			if (this.#connections.get(media.peer)?.media !== media) return;
			this.#connections.delete(media.peer);
			this.#meshRemotes.delete(media.peer);
			this.#emit();
		});
		media.peerConnection?.addEventListener('connectionstatechange', () => {
			// A failed path (e.g. after a network change): hang up this link; the newer of the two
			// dials again at once (see #onAwareness), so the call comes back within seconds.
			if (media.peerConnection.connectionState === 'failed') {
				media.close();
				this.#connections.delete(media.peer);
				this.#meshRemotes.delete(media.peer);
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
			const remote = this.#meshRemotes.get(peerId);
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

	#meshSenders(kind: 'audio' | 'video'): RTCRtpSender[] {
		return [...this.#connections.values()].flatMap((c) => c.media.peerConnection?.getSenders().filter((s) => s.track?.kind === kind || (s.track === null && kind === 'video')) ?? []);
	}

	/** Sends `track` instead of the current one: on mesh links, and on the SFU camera feed unless `meshOnly`. */
	async #replace(kind: 'audio' | 'video', track: MediaStreamTrack, meshOnly = false) {
		const senders = [...this.#meshSenders(kind), ...(meshOnly ? [] : (this.#sfu?.senders(kind) ?? []))];
		await Promise.all(senders.map((sender) => sender.replaceTrack(track)));
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
		// Peer-to-peer, the screen takes the camera's place; on the SFU it is a feed of its own.
		await this.#replace('video', track, true);
		this.#publish({ screen: true });
		this.#sfu?.publishScreen(track).catch((error: Error) => {
			this.error = `Could not share the screen through the server: ${error.message}`;
			void this.stopSharing();
		});
	}

	async stopSharing(): Promise<void> {
		if (!this.#screen) return;
		for (const track of this.#screen.getTracks()) track.stop();
		this.#screen = null;
		this.#sfu?.unpublishScreen();
		if (this.#camera) await this.#replace('video', this.#camera, true);
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
		else await Promise.all((this.#sfu?.senders('video') ?? []).map((sender) => sender.replaceTrack(track)));
		old?.stop();
	}

	leave(): void {
		this.#left = true;
		clearInterval(this.#statsTimer);
		clearTimeout(this.#sfuRetry);
		clearInterval(this.#switchPoll);
		this.#sfu?.close();
		this.#sfu = null;
		removeEventListener('online', this.#onAwareness);
		this.#awareness.off('change', this.#onAwareness);
		this.#awareness.setLocalStateField('call', null);
		for (const connection of this.#connections.values()) connection.media.close();
		for (const media of this.#heldCalls.values()) media.close();
		this.#heldCalls.clear();
		this.#connections.clear();
		this.#meshRemotes.clear();
		this.#peer?.destroy();
		for (const track of [...this.#local.getTracks(), ...(this.#screen?.getTracks() ?? []), ...(this.#camera ? [this.#camera] : [])]) track.stop();
		this.#emit();
	}
}
