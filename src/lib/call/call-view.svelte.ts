import type { Awareness } from 'y-protocols/awareness';
import { participantsOf, serverCallOf, SFU_FROM, type CallParticipant, type CallPresence, type ServerCall } from '../core/call/presence.ts';
import { handQueue } from '../core/call/hand-queue.ts';
import { NO_MODERATION, serverModerationOf, type ServerModeration } from '../core/call/moderation.ts';
import { REACTION_SHOWN_MS, type ReactionEmoji } from '../core/call/reactions.ts';
import { activeSpeaker } from './active-speaker.ts';
import { newMoments, type Seen } from './call-moments.ts';
import { issuePeer, ring, sfuJoin, stopRinging } from './call-api.ts';
import { callReducer, type CallEvent, type CallState } from './call-machine.ts';
import { microphoneConstraints, readCallPreferences, videoSize, writeCallPreference, type ChosenDevices, type VoiceProcessing } from './call-preferences.ts';
import { Call, type RemotePeer } from './call.ts';
import { preloadMesh } from './mesh-links.ts';
import { inCallNames, memberAvatar, memberName, type MemberName } from './member-names.ts';
import { meterMicrophone } from './mic-meter.ts';
import type { Quality } from './quality.ts';
import { m } from '#lib/paraglide/messages.js';

/** What the view needs from the page, read afresh each time (they are the component's props). */
export type CallContext = { roomId: string; user: { id: string; name: string }; members: readonly MemberName[]; awareness: Awareness };

/** The engine's state, copied on each of its changes: the engine mutates its own objects, a snapshot is new each time. */
export type CallSnapshot = {
	localStream: MediaStream;
	presence: CallPresence;
	route: Call['route'];
	remotes: Map<string, RemotePeer>;
	error: string;
	/** Devices a moderator muted (nobody plays them until they unmute themselves). */
	silenced: ReadonlySet<string>;
	/** Who muted me, and who asks me to unmute (user ids). */
	mutedBy: string | null;
	askedToUnmuteBy: string | null;
};

export type CallTileView = {
	key: string;
	/** The device (its call's peer id); the local tile's is my own. */
	peerId: string;
	userId: string;
	name: string;
	/** Their picture, shown while their camera is off; undefined for initials. */
	avatar: string | undefined;
	stream: MediaStream | null;
	local: boolean;
	audio: boolean;
	video: boolean;
	screen: boolean;
	quality: Quality;
	speaking: boolean;
	/** When their hand went up (what a request to lower it names), and its place in the queue; null when down. */
	hand: { at: number; position: number } | null;
	/** Someone's shared screen in a tile of its own, beside their camera's (on the SFU). */
	presentation: boolean;
	/** The link that carries them is being restored: the tile says "Reconnecting…". */
	reconnecting: boolean;
};

/** A reaction floating over the stage, or a raised hand told of, for a few seconds. */
export type CallMoment = { id: number; kind: 'hand' | 'reaction'; name: string; emoji: ReactionEmoji | null };

/** How long "Ann raised a hand" stays on the stage. */
const HAND_NOTICE_MS = 5000;

export type DeviceKind = keyof ChosenDevices;

type WakeLock = { release(): Promise<void> };
const requestWakeLock = async (): Promise<WakeLock | null> =>
	(await (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLock> } }).wakeLock?.request('screen').catch(() => null)) ?? null;

/**
 * The call as the UI sees it (after immich's managers): the pre-join preview, joining and leaving
 * the `Call`, its API calls, wake lock and microphone meter, and `$state.raw` snapshots of the
 * engine taken on each `onChange`. Components only read it and call its methods.
 */
export class CallView {
	readonly #context: () => CallContext;
	#state = $state.raw<CallState>({ phase: 'idle' });
	#participants = $state.raw<CallParticipant[]>([]);
	#server = $state.raw<ServerCall | null>(null);
	#moderation = $state.raw<ServerModeration>(NO_MODERATION);
	#call: Call | null = null;
	#snapshot = $state.raw<CallSnapshot | null>(null);
	#preview = $state.raw<MediaStream | null>(null);
	#devices = $state.raw<MediaDeviceInfo[]>([]);
	#chosen = $state.raw<ChosenDevices>(readCallPreferences().devices);
	#processing = $state.raw<VoiceProcessing>((({ noiseSuppression, echoCancellation }) => ({ noiseSuppression, echoCancellation }))(readCallPreferences()));
	#level = $state(0);
	/** "Join muted" on the pre-join screen (bound to its checkbox). */
	joinMuted = $state(false);
	#wakeLock: WakeLock | null = null;
	#stopMeter: (() => void) | null = null;
	/** Counts preview requests, so a camera that arrives after Cancel or Leave is stopped at once. */
	#previewRun = 0;
	#moments = $state.raw<CallMoment[]>([]);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- what was last seen, private; the UI reads #moments
	#seen: Seen = new Map();
	#momentId = 0;

	constructor(context: () => CallContext) {
		this.#context = context;
	}

	get state(): CallState {
		return this.#state;
	}
	get participants(): CallParticipant[] {
		return this.#participants;
	}
	get server(): ServerCall | null {
		return this.#server;
	}
	/** The call's lock and removals, as the server says. */
	get moderation(): ServerModeration {
		return this.#moderation;
	}
	/** The joined (or joining) call's state; null outside a call. */
	get snapshot(): CallSnapshot | null {
		return this.#snapshot;
	}
	get preview(): MediaStream | null {
		return this.#preview;
	}
	get devices(): MediaDeviceInfo[] {
		return this.#devices;
	}
	/** The microphone's noise suppression and echo cancellation, as this device keeps them. */
	get processing(): VoiceProcessing {
		return this.#processing;
	}

	get chosen(): ChosenDevices {
		return this.#chosen;
	}
	/** The pre-join microphone level, 0–1. */
	get level(): number {
		return this.#level;
	}
	/** Reactions floating over the stage and raised hands being told of, oldest first. */
	get moments(): CallMoment[] {
		return this.#moments;
	}

	readonly inCall = $derived(this.#state.phase === 'in-call' || this.#state.phase === 'joining');
	readonly callerNames = $derived.by(() => inCallNames(this.#participants, this.#context().members, this.#context().user.id));
	readonly others = $derived(this.#participants.filter((p) => p.peerId !== this.#snapshot?.presence.peerId));
	/** Past the mesh's size with no SFU on this server: the call works, but poorly. */
	readonly overMeshLimit = $derived(!!this.#server && !this.#server.sfu && this.#participants.length >= SFU_FROM);

	/** Owners and admins (by the room's member list) see Lower hand on others; the server refuses the request from anyone else. */
	readonly canModerate = $derived.by(() => {
		const { user, members } = this.#context();
		const role = members.find((member) => member.userId === user.id)?.role;
		return role === 'owner' || role === 'admin';
	});

	/** "Locked by Ann" while an owner or admin has locked the call; null otherwise. */
	readonly lockedBy = $derived.by(() => (this.#moderation.lock ? memberName(this.#context().members, this.#moderation.lock.by) : null));
	/** "Ann muted you" / "Ann asks you to unmute", by name. */
	readonly mutedByName = $derived.by(() => (this.#snapshot?.mutedBy && !this.#snapshot.presence.audio ? memberName(this.#context().members, this.#snapshot.mutedBy) : null));
	readonly askedToUnmuteName = $derived.by(() => (this.#snapshot?.askedToUnmuteBy ? memberName(this.#context().members, this.#snapshot.askedToUnmuteBy) : null));

	/** Raised hands, first raised first: the same queue in every browser. */
	readonly queue = $derived(handQueue(this.#participants));

	readonly tiles: CallTileView[] = $derived.by(() => {
		const call = this.#snapshot;
		if (!call) return [];
		const { user, members } = this.#context();
		const speaking = activeSpeaker(call.remotes.values());
		const handOf = (peerId: string, at: number | null) => {
			const position = this.queue.find((p) => p.peerId === peerId)?.position;
			// My own hand shows at once, before awareness has told the queue of it.
			return at === null ? null : { at, position: position ?? this.queue.length + 1 };
		};
		return [
			{
				key: 'local',
				peerId: call.presence.peerId,
				userId: user.id,
				name: m.call_tile_you({ name: user.name }),
				avatar: memberAvatar(members, user.id),
				stream: call.localStream,
				local: true,
				audio: call.presence.audio,
				video: call.presence.video,
				screen: call.presence.screen,
				quality: 'good' as const,
				speaking: false,
				hand: handOf(call.presence.peerId, call.presence.hand),
				presentation: false,
				reconnecting: false
			},
			...this.others.flatMap((p) => {
				const remote = call.remotes.get(p.peerId);
				const name = memberName(members, p.userId);
				const quality = remote?.quality ?? ('unknown' as const);
				const presenting = remote?.screen && p.screen ? remote.screen : null;
				const camera: CallTileView = {
					key: p.peerId,
					peerId: p.peerId,
					userId: p.userId,
					name,
					avatar: memberAvatar(members, p.userId),
					stream: remote?.stream ?? null,
					local: false,
					audio: p.audio && !call.silenced.has(p.peerId),
					video: p.video,
					// A screen received apart has its own tile; their camera stays in theirs.
					screen: p.screen && !presenting,
					quality,
					speaking: speaking === p.peerId,
					hand: handOf(p.peerId, p.hand),
					presentation: false,
					reconnecting: remote?.reconnecting ?? false
				};
				if (!presenting) return [camera];
				const shared: CallTileView = { ...camera, key: `${p.peerId}:screen`, name: m.call_tile_presentation({ name }), stream: presenting, audio: true, video: true, screen: true, speaking: false, hand: null, presentation: true };
				return [camera, shared];
			})
		];
	});

	/** Everyone in the call, a tile each (without the presentation tiles of shared screens). */
	readonly people: CallTileView[] = $derived(this.tiles.filter((tile) => !tile.presentation));

	/** How the media flows, as the person should understand it. */
	readonly route = $derived.by(() => {
		const route = this.#snapshot?.route;
		if (!route) return '';
		if (route === 'switching') return this.#server?.topology === 'sfu' ? m.call_route_to_server() : m.call_route_to_p2p();
		return route === 'sfu' ? m.call_route_server() : m.call_route_p2p();
	});

	/** Follows the room's call on awareness, and leaves it when the page goes away. Returns the teardown. */
	connect(): () => void {
		const { awareness } = this.#context();
		const update = () => {
			this.#participants = participantsOf(awareness.getStates() as never);
			this.#server = serverCallOf(awareness.getStates() as never);
			this.#moderation = serverModerationOf(awareness.getStates() as never);
			this.#noteMoments(awareness.clientID);
		};
		awareness.on('change', update);
		update();
		const leaveOnExit = () => this.#call?.leave();
		addEventListener('pagehide', leaveOnExit);
		return () => {
			awareness.off('change', update);
			removeEventListener('pagehide', leaveOnExit);
			this.leave();
			this.#releasePreview();
		};
	}

	/** Hands that went up (others') and reactions (everyone's, mine too), shown for a few seconds. */
	#noteMoments(myClient: number) {
		const { seen, moments } = newMoments(this.#seen, this.#participants, Date.now());
		this.#seen = seen;
		if (!this.inCall) return;
		const { user, members } = this.#context();
		for (const { kind, participant } of moments) {
			if (kind === 'hand' && participant.clientId === myClient) continue;
			const id = ++this.#momentId;
			const name = participant.userId === user.id ? m.you() : memberName(members, participant.userId);
			this.#moments = [...this.#moments, { id, kind, name, emoji: kind === 'reaction' ? (participant.reaction?.emoji ?? null) : null }];
			setTimeout(() => (this.#moments = this.#moments.filter((moment) => moment.id !== id)), kind === 'hand' ? HAND_NOTICE_MS : REACTION_SHOWN_MS);
		}
	}

	#dispatch(event: CallEvent) {
		this.#state = callReducer(this.#state, event);
	}

	async openPrejoin() {
		this.#dispatch({ type: 'open-prejoin', callInProgress: this.#participants.length > 0 });
		preloadMesh();
		await this.#startPreview();
	}

	async #startPreview() {
		this.#releasePreview();
		const run = this.#previewRun;
		const chosen = this.#chosen;
		try {
			const stream = await navigator.mediaDevices.getUserMedia({
				audio: microphoneConstraints(chosen.audio, this.#processing),
				video: { ...(chosen.video ? { deviceId: { ideal: chosen.video } } : {}), ...videoSize(readCallPreferences().dataSaver) }
			});
			// Cancelled, left or asked again meanwhile: this camera is nobody's.
			if (run !== this.#previewRun || this.#state.phase !== 'prejoin') {
				for (const track of stream.getTracks()) track.stop();
				return;
			}
			this.#preview = stream;
			const devices = (this.#devices = await navigator.mediaDevices.enumerateDevices());
			// Show the devices actually in use (the browser may pick others than asked for).
			this.#chosen = {
				...this.#chosen,
				audio: stream.getAudioTracks()[0]?.getSettings().deviceId ?? this.#chosen.audio,
				video: stream.getVideoTracks()[0]?.getSettings().deviceId ?? this.#chosen.video,
				speaker: this.#chosen.speaker ?? devices.find((d) => d.kind === 'audiooutput')?.deviceId
			};
			this.#stopMeter = meterMicrophone(stream, (level) => (this.#level = level));
		} catch (error) {
			this.#dispatch({ type: 'failed', reason: m.call_no_devices({ detail: (error as Error).message }) });
		}
	}

	#stopPreviewMeter() {
		this.#stopMeter?.();
		this.#stopMeter = null;
	}

	/** Lets go of the pre-join camera and microphone: the meter, every track, and any request still under way. */
	#releasePreview() {
		this.#previewRun++;
		this.#stopPreviewMeter();
		for (const track of this.#preview?.getTracks() ?? []) track.stop();
		this.#preview = null;
	}

	async join() {
		if (!this.#preview) return;
		const { roomId, user, awareness } = this.#context();
		const count = this.#participants.length;
		const starting = count === 0;
		const limit = this.#server?.limit ?? null;
		if (limit !== null && count >= limit) {
			this.#releasePreview();
			return this.#dispatch({ type: 'join', peerId: '', participants: count, limit });
		}
		// Locked, or removed from it: the server would refuse the call state, so say why first.
		const refusal = this.#joinRefusal();
		if (refusal) {
			this.#releasePreview();
			return this.#dispatch({ type: 'failed', reason: refusal });
		}
		const issued = await issuePeer(roomId);
		if (!issued.ok) return this.#dispatch({ type: 'failed', reason: issued.error });
		if (!this.#preview) return;
		this.#dispatch({ type: 'join', peerId: issued.data.peerId, participants: this.#participants.length, limit });
		if (this.#state.phase !== 'joining') return this.#releasePreview();
		// The call owns the preview's tracks from here on (and stops them when it is left).
		const stream = this.#preview;
		this.#stopPreviewMeter();
		this.#preview = null;
		this.#previewRun++;
		writeCallPreference('devices', this.#chosen);
		const call = new Call({
			awareness,
			peerId: issued.data.peerId,
			userId: user.id,
			stream,
			iceServers: issued.data.iceServers,
			audio: !this.joinMuted,
			video: true,
			relayOnly: readCallPreferences().relayOnly,
			getSfuJoin: () => sfuJoin(roomId)
		});
		const refresh = () => {
			if (call.removedBy !== null) return this.#removed(call, call.removedBy);
			const remotes = call.remotes;
			this.#snapshot = {
				localStream: call.localStream,
				presence: call.presence,
				route: call.route,
				remotes,
				error: call.error,
				// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a new set in each (raw) snapshot, never mutated
				silenced: new Set(call.participants.filter((p) => call.silenced(p.peerId)).map((p) => p.peerId)),
				mutedBy: call.mutedBy,
				askedToUnmuteBy: call.askedToUnmuteBy
			};
		};
		call.onChange(refresh);
		this.#call = call;
		refresh();
		try {
			await call.join();
			this.#dispatch({ type: 'joined', at: Date.now() });
			this.#wakeLock = await requestWakeLock();
			if (starting) void ring(roomId);
		} catch (error) {
			call.leave();
			this.#dropCall();
			this.#dispatch({ type: 'failed', reason: (error as Error).message });
		}
	}

	#joinRefusal(): string | null {
		const { user, members } = this.#context();
		const removal = this.#moderation.removed.find((r) => r.userId === user.id);
		if (removal) return (removal.ended ? m.call_ended_by : m.call_removed_by)({ name: memberName(members, removal.by) });
		if (this.#moderation.lock && !this.canModerate) return m.call_locked_by({ name: memberName(members, this.#moderation.lock.by) });
		return null;
	}

	/** An owner or admin removed me: the call has left itself; say who did it. */
	#removed(call: Call, by: string) {
		if (this.#call !== call) return;
		this.#dropCall();
		void this.#wakeLock?.release();
		this.#wakeLock = null;
		this.#dispatch({ type: 'failed', reason: (call.endedForEveryone ? m.call_ended_by : m.call_removed_by)({ name: memberName(this.#context().members, by) }) });
	}

	#dropCall() {
		this.#call = null;
		this.#snapshot = null;
	}

	leave() {
		if (!this.#call) return;
		const last = this.others.length === 0;
		this.#call.leave();
		this.#dropCall();
		void this.#wakeLock?.release();
		this.#wakeLock = null;
		this.#dispatch({ type: 'leave' });
		// The call ended: close ringing notifications on everyone's devices.
		if (last) void stopRinging(this.#context().roomId);
	}

	/** Cancel on the pre-join screen, or OK on "This call is full". */
	cancel() {
		this.#releasePreview();
		this.#dispatch({ type: 'cancel' });
	}

	/** OK on a failure. */
	dismiss() {
		this.#dispatch({ type: 'cancel' });
	}

	toggleAudio() {
		this.#call?.setAudio(!this.#call.presence.audio);
	}

	toggleVideo() {
		this.#call?.setVideo(!this.#call.presence.video);
	}

	/** Raise hand / Lower hand. */
	toggleHand() {
		const call = this.#call;
		if (!call) return;
		if (call.presence.hand === null) call.raiseHand();
		else call.lowerHand();
	}

	/** Owners and admins: Lower hand on someone else (their browser lowers it). */
	lowerHandOf(tile: CallTileView) {
		if (!tile.hand) return;
		if (tile.local) this.#call?.lowerHand();
		else this.#call?.lowerHandOf(tile.userId, tile.hand.at);
	}

	/** Owners and admins: Mute Ann (her microphone goes off, and nobody plays her until she unmutes herself). */
	mute(tile: CallTileView) {
		this.#call?.mute(tile.peerId);
	}

	askToUnmute(tile: CallTileView) {
		this.#call?.askToUnmute(tile.peerId);
	}

	removeFromCall(tile: CallTileView) {
		this.#call?.removeFromCall(tile.userId);
	}

	toggleLock() {
		this.#call?.setLock(this.#moderation.lock === null);
	}

	/** Owners and admins: "End call for everyone" (and the call is left, ringing stopped on everyone's devices). */
	endForEveryone() {
		if (!this.#call) return;
		this.#call.endForEveryone();
		this.#dropCall();
		void this.#wakeLock?.release();
		this.#wakeLock = null;
		this.#dispatch({ type: 'leave' });
		void stopRinging(this.#context().roomId);
	}

	/** "Unmute" on a moderator's ask. */
	acceptUnmute() {
		this.#call?.setAudio(true);
	}

	dismissUnmuteAsk() {
		this.#call?.dismissUnmuteAsk();
	}

	react(emoji: ReactionEmoji) {
		this.#call?.react(emoji);
	}

	async toggleScreen() {
		const call = this.#call;
		if (!call) return;
		try {
			if (call.presence.screen) await call.stopSharing();
			else await call.shareScreen();
		} catch {
			// The person closed the browser's picker: nothing to do.
		}
	}

	async chooseDevice(kind: DeviceKind, deviceId: string) {
		this.#chosen = { ...this.#chosen, [kind]: deviceId };
		writeCallPreference('devices', this.#chosen);
		const call = this.#call;
		if (call && kind === 'audio') await call.useMicrophone(deviceId, this.#processing);
		else if (call && kind === 'video') await call.useCamera(deviceId);
		else if (!call && kind !== 'speaker') await this.#startPreview();
	}

	/** Turns the browser's noise suppression or echo cancellation on or off: the microphone is opened again with it. */
	async setProcessing(kind: keyof VoiceProcessing, on: boolean) {
		this.#processing = { ...this.#processing, [kind]: on };
		writeCallPreference(kind, on);
		const call = this.#call;
		if (call) await call.useMicrophone(this.#chosen.audio, this.#processing);
		else if (this.#preview) await this.#startPreview();
	}

	/** Lists the devices again (for the in-call pickers: some may have come or gone). */
	async refreshDevices() {
		this.#devices = await navigator.mediaDevices.enumerateDevices();
	}

	/** Tiles are this tall: on the SFU, receive the simulcast layer that fits. */
	setTileHeight(px: number) {
		this.#call?.setTileHeight(px);
	}
}
