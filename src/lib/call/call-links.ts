/**
 * The two ways a call's media flows, behind one interface so that the call can be given either
 * (and tests can give it fakes): peer-to-peer mesh links (`mesh-links.ts`) and the SFU
 * (`sfu-links.ts`). The call decides which one each person is shown from (`route-switch.ts`).
 */
import type { CallParticipant } from '../core/call/presence.ts';
import type { SfuJoin } from '../core/call/presence.ts';
import type { Quality } from './quality.ts';

/** One person's device in the call; both parts must match for media to be shown as theirs. */
export type Device = { userId: string; peerId: string };

/** What a path receives from one device now. */
export type RemoteMedia = {
	stream: MediaStream | null;
	/** A shared screen received apart from the camera (the SFU's second feed); peer-to-peer the screen takes the camera's place. */
	screen?: MediaStream | null;
	quality: Quality;
	/** Loudness 0–1 from the last stats reading (mesh). */
	audioLevel: number;
	/** The SFU says this person is talking. */
	talking?: boolean;
	/** The link that carries them lost its path (ICE disconnected or failed) and is being restored. */
	reconnecting?: boolean;
};

export interface CallLinks {
	/** What this path receives from a device, if anything. */
	remote(device: Device): RemoteMedia | undefined;
	/** The peer ids of those `devices` whose camera video decodes on this path. */
	decoding(devices: readonly Device[]): Promise<Set<string>>;
	/** Reads link quality (and loudness) from WebRTC stats; the call does so every `STATS_MS`. */
	readStats(): Promise<void>;
	/** Sends `track` instead of the current one of its kind (on the camera feed), without renegotiating. */
	replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack): Promise<void>;
	close(): void;
}

/** What both kinds of links are told by the call. */
export type LinkContext = {
	peerId: string;
	relayOnly: boolean;
	/** Everyone in the call now, as awareness says. */
	participants: () => readonly CallParticipant[];
	/** Something a remote tile shows changed. */
	onChange: () => void;
};

export interface MeshRoute extends CallLinks {
	/** Connects to the signalling server; calls arriving before the caller's presence are held. */
	start(): Promise<void>;
	/** Answers held calls from people now in the call, and hangs up on people who left it. */
	follow(participants: readonly CallParticipant[]): void;
	/** Calls those of `peerIds` not linked yet. */
	dial(peerIds: readonly string[]): void;
	/** Hangs up every link except those to `keep`. */
	hangUpAllBut(keep: ReadonlySet<string>): void;
}

export type MeshContext = LinkContext & {
	userId: string;
	stream: MediaStream;
	iceServers: RTCIceServer[];
	/** A link failed: look again at who must be dialled (the newer end calls again). */
	onLinkFailed: () => void;
};

export interface SfuRoute extends CallLinks {
	/** The videoroom joined (0 until the join is fetched). */
	readonly room: number;
	/** Connects, joins the videoroom and publishes; resolves once Janus accepted the offer. */
	start(tracks: { audio: MediaStreamTrack | null; camera: MediaStreamTrack | null }): Promise<void>;
	publishScreen(track: MediaStreamTrack): Promise<void>;
	unpublishScreen(): void;
	/** Tiles are this tall: receive the simulcast layer that fits. */
	setTileHeight(px: number): void;
}

export type SfuContext = LinkContext & {
	/** Asks the app server for a ticket to the call's videoroom. */
	getJoin: () => Promise<SfuJoin>;
	/** The SFU connection is gone (Janus restarted, network lost): the call decides what next. */
	onLost: (reason: string) => void;
};
