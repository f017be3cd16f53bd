import type { Awareness } from 'y-protocols/awareness';
import { peersToCall } from './call-machine.ts';
import { askedToLower, MAX_LOWER_REQUESTS } from '../core/call/hand-queue.ts';
import type { ReactionEmoji } from '../core/call/reactions.ts';
import { MAX_MODERATION_REQUESTS, mutedBy, serverModerationOf, type ServerModeration } from '../core/call/moderation.ts';
import { deviceKind, participantsOf, serverCallOf, type CallParticipant, type CallPresence, type SfuJoin } from '../core/call/presence.ts';
import type { Quality } from './quality.ts';
import type { LinkContext, MeshContext, MeshRoute, SfuContext, SfuRoute } from './call-links.ts';
import { LocalMedia } from './local-media.ts';
import { MeshLinks } from './mesh-links.ts';
import { SfuLinks } from './sfu-links.ts';
import { preloadSfu } from './sfu-session.ts';
import { STATS_MS } from './rtc-stats.ts';
import { initialRoute, prefersSfu, routeReducer, routeShown, SWITCH_POLL_MS, type RouteEffect, type RouteEvent, type RouteState } from './route-switch.ts';
import type { VoiceProcessing } from './call-preferences.ts';

/** The call UI loads PeerJS through the call's own module. */

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
	/** The link that carries them is being restored. */
	reconnecting?: boolean;
	/** Their shared screen, received apart from their camera (on the SFU); null when they share none or it takes the camera's place. */
	screen?: MediaStream | null;
};

export type CallOptions = {
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
	/** Makes the mesh links (default: PeerJS, `MeshLinks`); tests give fakes. */
	mesh?: (context: MeshContext) => MeshRoute;
	/** Makes SFU links for one videoroom (default: janus.js, `SfuLinks`); tests give fakes. */
	sfu?: (context: SfuContext) => SfuRoute;
};

/**
 * One person's call: publishes their call state on the room's awareness and carries the media
 * the way the server says (its `server.call` awareness entry): peer-to-peer (`MeshLinks`; the
 * newer participant dials the older ones) or through the SFU (`SfuLinks`). When to move between
 * them is `route-switch.ts`; this class carries out what it says. Framework-free; the Svelte
 * side only renders `onChange` state.
 */
export class Call {
	readonly #awareness: Awareness;
	readonly #peerId: string;
	readonly #userId: string;
	readonly #media: LocalMedia;
	readonly #mesh: MeshRoute;
	/** New SFU links, for one videoroom. */
	readonly #newSfu: (onLost: (reason: string) => void) => SfuRoute;
	readonly #preloadSfu: () => void;
	#sfu: SfuRoute | null = null;
	#route: RouteState;
	#retry: ReturnType<typeof setTimeout> | undefined;
	#revisit: ReturnType<typeof setTimeout> | undefined;
	/** Polls a switch under way until it completes. */
	#poll: ReturnType<typeof setInterval> | undefined;
	#statsTimer: ReturnType<typeof setInterval> | undefined;
	#tileHeight = 480;
	readonly #listeners = new Set<() => void>();
	#presence: CallPresence;
	#left = false;
	participants: CallParticipant[] = [];
	error = '';
	/** What the server says of the call's lock and removals. */
	moderation: ServerModeration = { lock: null, removed: [] };
	/** Who muted me (their user id), and who removed me from the call; null if nobody. */
	mutedBy: string | null = null;
	removedBy: string | null = null;
	/** Whether that removal was the call ended for everyone. */
	endedForEveryone = false;
	/** An owner or admin asks me to unmute (their user id), until I do or say not now. */
	askedToUnmuteBy: string | null = null;
	/** The unmute count a mute was last obeyed at (each mute is told once). */
	#mutedAt = -1;
	readonly #asksSeen = new Set<string>();

	constructor(options: CallOptions) {
		this.#awareness = options.awareness;
		this.#peerId = options.peerId;
		this.#userId = options.userId;
		this.#media = new LocalMedia(options.stream, options, () => ({ mesh: this.#mesh, sfu: this.#sfu }));
		const context: LinkContext = { peerId: options.peerId, relayOnly: options.relayOnly ?? false, participants: () => this.participants, onChange: () => this.#emit() };
		const makeMesh = options.mesh ?? ((context) => new MeshLinks(context));
		this.#mesh = makeMesh({ ...context, userId: options.userId, stream: this.#media.stream, iceServers: options.iceServers, onLinkFailed: this.#onAwareness });
		const makeSfu = options.sfu ?? ((context) => new SfuLinks(context));
		this.#newSfu = (onLost) => makeSfu({ ...context, getJoin: options.getSfuJoin, onLost });
		this.#preloadSfu = options.sfu ? () => {} : preloadSfu;
		this.#route = initialRoute(options.peerId);
		this.#presence = { peerId: options.peerId, joinedAt: Date.now(), audio: options.audio, video: options.video, screen: false, device: deviceKind(navigator.userAgent), route: 'mesh', hand: null, reaction: null, lower: [], unmutes: 0, mute: [], askUnmute: [], remove: [], lock: { on: false, n: 0 }, end: 0 };
	}

	get localStream(): MediaStream {
		return this.#media.stream;
	}

	get presence(): CallPresence {
		return this.#presence;
	}

	/** How the media flows right now, as the person should understand it. */
	get route(): 'mesh' | 'sfu' | 'switching' {
		return routeShown(this.#route);
	}

	/**
	 * Everyone else as received now: through the SFU when it carries them, otherwise the mesh link
	 * (during a switch, whichever already has their media).
	 */
	get remotes(): Map<string, RemotePeer> {
		const merged = new Map<string, RemotePeer>();
		for (const p of this.participants) {
			if (p.peerId === this.#peerId) continue;
			const mesh = this.#mesh.remote(p);
			// A feed counts only for the person the server named in it, on this device (the SFU links match both).
			const sfu = this.#sfu?.remote(p);
			// The SFU's stream once its video decodes (or when there is no mesh stream to show instead).
			// A moderator muted them: their sound is not played here, whatever their browser sends.
			const silenced = mutedBy(this.participants, p) !== null;
			for (const stream of [mesh?.stream, sfu?.stream]) for (const track of stream?.getAudioTracks() ?? []) track.enabled = !silenced;
			if (sfu?.stream && (!mesh?.stream || prefersSfu(this.#route, p.peerId))) {
				merged.set(p.peerId, { peerId: p.peerId, userId: p.userId, stream: sfu.stream, screen: sfu.screen ?? null, quality: sfu.quality, audioLevel: 0, talking: sfu.talking, viaSfu: true, reconnecting: sfu.reconnecting });
			} else if (mesh) {
				merged.set(p.peerId, { peerId: p.peerId, userId: p.userId, stream: mesh.stream, quality: mesh.quality, audioLevel: mesh.audioLevel, reconnecting: mesh.reconnecting });
			} else if (this.#route.phase === 'sfu-lost') {
				// The SFU that carried them went away (Janus restarting, its path failed): back when the next videoroom is.
				merged.set(p.peerId, { peerId: p.peerId, userId: p.userId, stream: null, quality: 'poor', audioLevel: 0, reconnecting: true });
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
		if (serverCallOf(this.#awareness.getStates() as never)?.sfu) this.#preloadSfu();
		await this.#mesh.start();
		addEventListener('online', this.#onAwareness);
		this.#awareness.on('change', this.#onAwareness);
		this.#awareness.setLocalStateField('call', this.#presence);
		this.#onAwareness();
		this.#statsTimer = setInterval(() => void this.#readStats(), STATS_MS);
	}

	#onAwareness = () => {
		if (this.#left) return;
		const states = this.#awareness.getStates() as never;
		this.participants = participantsOf(states);
		this.#followHands();
		this.#followModeration(serverModerationOf(states));
		if (this.#left) return;
		this.#mesh.follow(this.participants);
		this.#step({ type: 'awareness', participants: this.participants, server: serverCallOf(states), now: Date.now() });
	};

	/**
	 * A moderator asked me to lower this hand: down it goes (the server relays such requests only
	 * from owners and admins). My own requests go once their hand is down.
	 */
	#followHands() {
		const others = this.participants.filter((p) => p.peerId !== this.#peerId);
		const change: Partial<CallPresence> = {};
		if (others.some((p) => askedToLower(p.lower, this.#userId, this.#presence.hand))) change.hand = null;
		const pending = this.#presence.lower.filter((r) => others.some((p) => p.userId === r.userId && p.hand === r.hand));
		if (pending.length !== this.#presence.lower.length) change.lower = pending;
		if (Object.keys(change).length) this.#publish(change);
	}

	/**
	 * Owners' and admins' requests (the server relays them only from them): a mute turns my
	 * microphone off and says who did it; an ask to unmute is offered; a removal (the server's
	 * word) leaves the call. My own requests go once they are done with.
	 */
	#followModeration(server: ServerModeration) {
		this.moderation = server;
		const removal = server.removed.find((r) => r.userId === this.#userId);
		if (removal) {
			this.removedBy = removal.by;
			this.endedForEveryone = removal.ended === true;
			this.leave();
			return;
		}
		const me = { peerId: this.#peerId, unmutes: this.#presence.unmutes };
		const muter = mutedBy(this.participants, me);
		if (muter && this.#mutedAt !== this.#presence.unmutes) {
			this.#mutedAt = this.#presence.unmutes;
			this.mutedBy = muter.userId;
			if (this.#presence.audio) {
				this.#media.setAudio(false);
				this.#publish({ audio: false });
			}
		}
		for (const p of this.participants) {
			const ask = p.askUnmute.find((a) => a.peerId === this.#peerId);
			if (!ask || p.peerId === this.#peerId || this.#asksSeen.has(`${p.peerId}:${ask.at}`)) continue;
			this.#asksSeen.add(`${p.peerId}:${ask.at}`);
			if (!this.#presence.audio) this.askedToUnmuteBy = p.userId;
		}
		const byPeer = new Map(this.participants.map((p) => [p.peerId, p]));
		const inCall = new Set(this.participants.map((p) => p.userId));
		const change: Partial<CallPresence> = {};
		const mute = this.#presence.mute.filter((r) => byPeer.get(r.peerId)?.unmutes === r.unmutes);
		if (mute.length !== this.#presence.mute.length) change.mute = mute;
		const askUnmute = this.#presence.askUnmute.filter((r) => byPeer.get(r.peerId)?.audio === false);
		if (askUnmute.length !== this.#presence.askUnmute.length) change.askUnmute = askUnmute;
		// A removal is kept until the server has it (or the person is gone).
		const remove = this.#presence.remove.filter((userId) => inCall.has(userId) && !server.removed.some((r) => r.userId === userId));
		if (remove.length !== this.#presence.remove.length) change.remove = remove;
		if (Object.keys(change).length) this.#publish(change);
	}

	/** Feeds the route switch an event, carries out what it says, and tells the UI. */
	#step(event: RouteEvent) {
		if (this.#left) return;
		const { state, effects } = routeReducer(this.#route, event);
		this.#route = state;
		for (const effect of effects) this.#do(effect);
		if (event.type !== 'tick') this.#emit();
	}

	#do(effect: RouteEffect) {
		switch (effect.type) {
			case 'start-sfu':
				return void this.#startSfu();
			case 'close-sfu':
				this.#sfu?.close();
				this.#sfu = null;
				return;
			case 'retry':
				clearTimeout(this.#retry);
				this.#retry = setTimeout(this.#onAwareness, effect.after);
				return;
			case 'revisit':
				this.#revisit = setTimeout(this.#onAwareness, effect.after);
				return;
			case 'watch':
				clearInterval(this.#poll);
				this.#poll = setInterval(() => this.#step({ type: 'tick' }), SWITCH_POLL_MS);
				return;
			case 'unwatch':
				return clearInterval(this.#poll);
			case 'check':
				return void this.#check(effect.path);
			case 'publish':
				return this.#publish({ route: effect.route });
			case 'hang-up-all-but':
				return this.#mesh.hangUpAllBut(effect.keep);
			case 'dial': {
				const me = this.participants.find((p) => p.peerId === this.#peerId);
				if (me) this.#mesh.dial(peersToCall(me, this.participants));
			}
		}
	}

	/** Finds whose video decodes on `path`, for the route switch. */
	async #check(path: 'mesh' | 'sfu') {
		const links = path === 'sfu' ? this.#sfu : this.#mesh;
		const others = this.participants.filter((p) => p.peerId !== this.#peerId);
		try {
			const arrived = links ? await links.decoding(others) : new Set<string>();
			this.#step({ type: 'checked', path, arrived, now: Date.now() });
		} catch (error) {
			console.warn('Could not read which videos decode', error);
			this.#step({ type: 'check-failed' });
		}
	}

	/** Joins the videoroom the server announced; the current SFU links (if any) are kept until the new ones are up. */
	async #startSfu() {
		clearTimeout(this.#retry);
		const links = this.#newSfu((reason) => {
			if (this.#sfu !== links) return;
			console.warn('Lost the SFU:', reason);
			links.close();
			this.#sfu = null;
			this.#step({ type: 'sfu-lost' });
		});
		try {
			await links.start(this.#media.tracks);
			if (this.#left) return links.close();
			const screen = this.#media.screen;
			if (screen) void links.publishScreen(screen).catch(() => undefined);
			links.setTileHeight(this.#tileHeight);
			const old = this.#sfu;
			this.#sfu = links;
			old?.close();
			this.error = '';
			this.#step({ type: 'sfu-up', room: links.room, now: Date.now() });
		} catch (error) {
			links.close();
			this.error = `Could not move the call to the server: ${(error as Error).message}`;
			this.#step({ type: 'sfu-failed', room: links.room });
		}
	}

	async #readStats() {
		await this.#mesh.readStats();
		await this.#sfu?.readStats();
		this.#emit();
	}

	#publish(change: Partial<CallPresence>) {
		this.#presence = { ...this.#presence, ...change };
		this.#awareness.setLocalStateField('call', this.#presence);
		this.#emit();
	}

	setAudio(on: boolean) {
		this.#media.setAudio(on);
		// Turning it on myself lifts a moderator's mute (theirs named the count before this one).
		this.#publish(on && !this.#presence.audio ? { audio: true, unmutes: this.#presence.unmutes + 1 } : { audio: on });
		if (on) this.askedToUnmuteBy = this.mutedBy = null;
	}

	/** Whether an owner's or admin's mute keeps this person silent (everyone stops playing them until they unmute themselves). */
	silenced(peerId: string): boolean {
		const p = this.participants.find((x) => x.peerId === peerId);
		return !!p && mutedBy(this.participants, p) !== null;
	}

	/** Owners and admins: mutes this device until its owner unmutes it. */
	mute(peerId: string) {
		const target = this.participants.find((p) => p.peerId === peerId);
		if (!target) return;
		const others = this.#presence.mute.filter((r) => r.peerId !== peerId);
		this.#publish({ mute: [...others, { peerId, unmutes: target.unmutes }].slice(-MAX_MODERATION_REQUESTS) });
	}

	/** Owners and admins: asks this device to unmute (they see a prompt). */
	askToUnmute(peerId: string) {
		const others = this.#presence.askUnmute.filter((r) => r.peerId !== peerId);
		this.#publish({ askUnmute: [...others, { peerId, at: Date.now() }].slice(-MAX_MODERATION_REQUESTS) });
	}

	/** Owners and admins: removes the person from the call (the server takes them out and keeps them out for a while). */
	removeFromCall(userId: string) {
		if (userId === this.#userId || this.#presence.remove.includes(userId)) return;
		this.#publish({ remove: [...this.#presence.remove, userId].slice(-MAX_MODERATION_REQUESTS) });
	}

	/** Owners and admins: ends the call for everyone in it (the server takes them out of it), then leaves it. */
	endForEveryone() {
		this.#publish({ end: this.#presence.end + 1 });
		this.leave();
	}

	/** Owners and admins: locks the call (nobody else joins) or unlocks it. */
	setLock(on: boolean) {
		this.#publish({ lock: { on, n: this.#presence.lock.n + 1 } });
	}

	/** Dismisses "Ann asks you to unmute". */
	dismissUnmuteAsk() {
		this.askedToUnmuteBy = null;
		this.#emit();
	}

	setVideo(on: boolean) {
		this.#media.setVideo(on);
		this.#publish({ video: on });
	}

	raiseHand() {
		if (this.#presence.hand === null) this.#publish({ hand: Date.now() });
	}

	lowerHand() {
		this.#publish({ hand: null });
	}

	/** Owners and admins: asks the person to lower the hand they raised at `hand` (their browser does; the server refuses this from others). */
	lowerHandOf(userId: string, hand: number) {
		const others = this.#presence.lower.filter((r) => r.userId !== userId);
		this.#publish({ lower: [...others, { userId, hand }].slice(-MAX_LOWER_REQUESTS) });
	}

	/** Sends a reaction: everyone in the call sees it float over the stage for a moment. */
	react(emoji: ReactionEmoji) {
		this.#publish({ reaction: { emoji, n: (this.#presence.reaction?.n ?? 0) + 1, at: Date.now() } });
	}

	async shareScreen(): Promise<void> {
		// The browser's own "Stop sharing" goes back to the camera.
		const track = await this.#media.shareScreen(() => void this.stopSharing());
		this.#publish({ screen: true });
		// Peer-to-peer the screen took the camera's place; on the SFU it is a feed of its own.
		this.#sfu?.publishScreen(track).catch((error: Error) => {
			this.error = `Could not share the screen through the server: ${error.message}`;
			void this.stopSharing();
		});
	}

	async stopSharing(): Promise<void> {
		if (await this.#media.stopSharing()) this.#publish({ screen: false });
	}

	async useMicrophone(deviceId: string | undefined, processing: VoiceProcessing): Promise<void> {
		await this.#media.useMicrophone(deviceId, this.#presence.audio, processing);
	}

	async useCamera(deviceId: string): Promise<void> {
		await this.#media.useCamera(deviceId, this.#presence.video);
	}

	leave(): void {
		this.#left = true;
		clearInterval(this.#statsTimer);
		clearTimeout(this.#retry);
		clearTimeout(this.#revisit);
		clearInterval(this.#poll);
		this.#sfu?.close();
		this.#sfu = null;
		this.#route = initialRoute(this.#peerId);
		removeEventListener('online', this.#onAwareness);
		this.#awareness.off('change', this.#onAwareness);
		this.#awareness.setLocalStateField('call', null);
		this.#mesh.close();
		this.#media.stop();
		this.#emit();
	}
}
