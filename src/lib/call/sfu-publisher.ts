/**
 * One feed this person publishes to the videoroom (the camera and microphone, or a shared
 * screen): a handle that joins as a publisher, then offers its tracks.
 */
import type { JanusJS } from 'janus-gateway';
import type { Handle, SfuSession, VideoroomMessage } from './sfu-session.ts';
import { sendersOf } from './rtc-stats.ts';

/** Per simulcast layer (high, medium, low): together they stay under the room's per-publisher bitrate. */
const SIMULCAST_BITRATES = { high: 600_000, medium: 200_000, low: 80_000 };

/**
 * Simulcast (three layers) for camera video of 360 lines or more. Smaller video ("Data saver")
 * goes as one layer: a quarter of 320×240 is not worth a third encoder on a small device.
 */
export function wantsSimulcast(camera: MediaStreamTrack): boolean {
	return (camera.getSettings().height ?? 0) >= 360;
}

/** The tracks of a camera feed, as janus.js takes them (the call owns the tracks: janus.js must not stop them). */
export function cameraTracks(audio: MediaStreamTrack | null, camera: MediaStreamTrack | null): JanusJS.TrackOption[] {
	return [
		...(audio ? [{ type: 'audio' as const, capture: audio, recv: false, dontStop: true }] : []),
		...(camera ? [{ type: 'video' as const, capture: camera, recv: false, dontStop: true, simulcast: wantsSimulcast(camera), simulcastMaxBitrates: SIMULCAST_BITRATES }] : [])
	];
}

export type PublisherHooks = {
	/** Every message, first and synchronously (talking events: the 'joined' list is only read once we publish). */
	hear?: (message: VideoroomMessage) => void;
	/** Messages other than the answer to our join. */
	onEvent?: (message: VideoroomMessage) => void;
	onIceFailed?: () => void;
};

export class SfuPublisher {
	readonly #handle: Handle;
	readonly #room: number;
	/** The join waiting for Janus' answer. */
	#pending: { resolve: (m: VideoroomMessage) => void; reject: (e: Error) => void } | null = null;

	private constructor(handle: Handle, room: number) {
		this.#handle = handle;
		this.#room = room;
	}

	static async attach(session: SfuSession, room: number, hooks: PublisherHooks = {}): Promise<SfuPublisher> {
		let publisher: SfuPublisher | null = null;
		const handle = await session.attach({
			onmessage: (message, jsep) => {
				if (publisher) publisher.#onMessage(message as VideoroomMessage, jsep, hooks);
			},
			iceState: (state) => state === 'failed' && hooks.onIceFailed?.()
		});
		publisher = new SfuPublisher(handle, room);
		return publisher;
	}

	#onMessage(message: VideoroomMessage, jsep: JanusJS.JSEP | undefined, hooks: PublisherHooks) {
		if (jsep) this.#handle.handleRemoteJsep({ jsep });
		hooks.hear?.(message);
		if (this.#settle(message)) return;
		hooks.onEvent?.(message);
	}

	/** Joins as a publisher (the proxy completes `display` with who we are); the answer ('joined' or an error) comes as an event. */
	join(display: string): Promise<VideoroomMessage> {
		return new Promise((resolve, reject) => {
			this.#pending = { resolve, reject };
			this.#handle.send({ message: { request: 'join', ptype: 'publisher', room: this.#room, display }, error: (e) => reject(new Error(e)) });
		});
	}

	#settle(message: VideoroomMessage): boolean {
		const pending = this.#pending;
		if (!pending) return false;
		if (message.videoroom === 'joined') {
			this.#pending = null;
			pending.resolve(message);
			return true;
		}
		if (message.error_code) {
			this.#pending = null;
			pending.reject(new Error(`The SFU refused to join: ${message.error}`));
			return true;
		}
		return false;
	}

	/** Offers `tracks`; resolves once Janus accepted the configuration. */
	publish(tracks: JanusJS.TrackOption[]): Promise<void> {
		const handle = this.#handle;
		return new Promise((resolve, reject) =>
			handle.createOffer({
				tracks,
				success: (jsep) => handle.send({ message: { request: 'configure', audio: true, video: true }, jsep, success: () => resolve(), error: (e) => reject(new Error(e)) }),
				error: (error) => reject(error instanceof Error ? error : new Error(String(error)))
			})
		);
	}

	/** The senders of this feed, for swapping devices without renegotiating. */
	senders(kind: 'audio' | 'video'): RTCRtpSender[] {
		return sendersOf(this.#handle.webrtcStuff.pc, kind);
	}

	/** Gives up a join still waiting for its answer (the SFU is being left). */
	abandon() {
		this.#pending?.reject(new Error('left the SFU'));
		this.#pending = null;
	}

	detach() {
		this.#handle.detach();
	}
}
