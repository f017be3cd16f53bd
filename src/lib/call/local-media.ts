/**
 * This person's own media in a call: the stream the others receive, the camera track (kept while
 * a screen is shared in its place), the shared screen, and swapping devices mid-call. The tracks
 * are sent on whichever links `paths` returns; nothing here knows about presence.
 */
import type { CallLinks, SfuRoute } from './call-links.ts';
import { microphoneConstraints, type VoiceProcessing } from './call-preferences.ts';

export type MediaPaths = () => { mesh: CallLinks | null; sfu: SfuRoute | null };

export class LocalMedia {
	readonly stream: MediaStream;
	#camera: MediaStreamTrack | null;
	#screen: MediaStream | null = null;
	readonly #paths: MediaPaths;

	constructor(stream: MediaStream, on: { audio: boolean; video: boolean }, paths: MediaPaths) {
		this.stream = stream;
		this.#paths = paths;
		this.#camera = stream.getVideoTracks()[0] ?? null;
		for (const track of stream.getAudioTracks()) track.enabled = on.audio;
		for (const track of stream.getVideoTracks()) track.enabled = on.video;
	}

	/** What the SFU publishes as the camera feed. */
	get tracks(): { audio: MediaStreamTrack | null; camera: MediaStreamTrack | null } {
		return { audio: this.stream.getAudioTracks()[0] ?? null, camera: this.#camera };
	}

	/** The shared screen's track, while sharing. */
	get screen(): MediaStreamTrack | null {
		return this.#screen?.getVideoTracks()[0] ?? null;
	}

	setAudio(on: boolean) {
		for (const track of this.stream.getAudioTracks()) track.enabled = on;
	}

	setVideo(on: boolean) {
		if (this.#camera) this.#camera.enabled = on;
	}

	/** Sends `track` instead of the current one: on mesh links, and on the SFU camera feed unless `meshOnly`. */
	async #replace(kind: 'audio' | 'video', track: MediaStreamTrack, meshOnly = false) {
		const { mesh, sfu } = this.#paths();
		await Promise.all([mesh?.replaceTrack(kind, track), meshOnly ? undefined : sfu?.replaceTrack(kind, track)]);
		const old = kind === 'audio' ? this.stream.getAudioTracks()[0] : this.stream.getVideoTracks()[0];
		if (old && old !== track) this.stream.removeTrack(old);
		if (!this.stream.getTracks().includes(track)) this.stream.addTrack(track);
	}

	/** Asks for a screen and sends it on mesh links in the camera's place (on the SFU it is a feed of its own: see `shareScreen` in call.ts). */
	async shareScreen(onEnded: () => void): Promise<MediaStreamTrack> {
		const screen = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
		const track = screen.getVideoTracks()[0];
		this.#screen = screen;
		// The browser's own "Stop sharing" ends the track.
		track.addEventListener('ended', onEnded);
		await this.#replace('video', track, true);
		return track;
	}

	/** Stops the shared screen and sends the camera again; false when nothing was shared. */
	async stopSharing(): Promise<boolean> {
		if (!this.#screen) return false;
		for (const track of this.#screen.getTracks()) track.stop();
		this.#screen = null;
		this.#paths().sfu?.unpublishScreen();
		if (this.#camera) await this.#replace('video', this.#camera, true);
		return true;
	}

	/**
	 * Sends another microphone, or the same one with other processing (noise suppression, echo
	 * cancellation). The same microphone is let go of first: Chromium gives a second track of an open
	 * microphone the processing of the first.
	 */
	async useMicrophone(deviceId: string | undefined, on: boolean, processing: VoiceProcessing): Promise<void> {
		const old = this.stream.getAudioTracks()[0];
		const same = !deviceId || old?.getSettings().deviceId === deviceId;
		if (same) old?.stop();
		const stream = await navigator.mediaDevices.getUserMedia({ audio: microphoneConstraints(deviceId, processing, true) });
		const track = stream.getAudioTracks()[0];
		track.enabled = on;
		await this.#replace('audio', track);
		if (!same) old?.stop();
	}

	async useCamera(deviceId: string, on: boolean): Promise<void> {
		const stream = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: deviceId }, width: { ideal: 640 }, height: { ideal: 480 } } });
		const track = stream.getVideoTracks()[0];
		track.enabled = on;
		const old = this.#camera;
		this.#camera = track;
		// While a screen is shared it keeps the mesh links; the SFU camera feed takes the new camera.
		if (!this.#screen) await this.#replace('video', track);
		else await this.#paths().sfu?.replaceTrack('video', track);
		old?.stop();
	}

	/** Stops every track: the stream's, the screen's and the camera kept aside. */
	stop() {
		for (const track of [...this.stream.getTracks(), ...(this.#screen?.getTracks() ?? []), ...(this.#camera ? [this.#camera] : [])]) track.stop();
	}
}
