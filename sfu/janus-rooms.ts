import { randomBytes, randomInt } from 'node:crypto';
import type { Logger } from '../src/lib/server/log.ts';
import { JanusApi } from './janus-api.ts';
import { signJanusToken } from './janus-token.ts';

/** A videoroom made for one call. */
export type JanusRoom = { id: number; secret: string };

/** Per publisher, all simulcast layers together, unless set otherwise. */
export const DEFAULT_PUBLISHER_BITRATE = 1_200_000;

/** What the call router needs of the SFU: making and removing rooms. */
export interface SfuRooms {
	create(publishers: number): Promise<JanusRoom>;
	destroy(room: JanusRoom): Promise<void>;
}

/**
 * Room control over the server's own Janus API connection: a videoroom per call, created with
 * the admin key, a random room secret and signed room tokens required to join. The connection
 * is opened on first use and again after Janus restarts.
 */
export class JanusRooms implements SfuRooms {
	readonly #url: () => string | undefined;
	readonly #adminKey: string;
	readonly #tokenSecret: string;
	readonly #log: Logger;
	readonly #bitrate: number;
	#api: Promise<JanusApi> | null = null;

	constructor(options: { url: () => string | undefined; adminKey: string; tokenSecret: string; log: Logger; bitrate?: number }) {
		this.#bitrate = options.bitrate ?? DEFAULT_PUBLISHER_BITRATE;
		this.#url = options.url;
		this.#adminKey = options.adminKey;
		this.#tokenSecret = options.tokenSecret;
		this.#log = options.log;
	}

	#connection(): Promise<JanusApi> {
		if (!this.#api) {
			const url = this.#url();
			if (!url) return Promise.reject(new Error('no SFU'));
			const opening = JanusApi.connect(url, signJanusToken(this.#tokenSecret, 365 * 24 * 3600)).then(async (api) => {
				api.onClose = () => {
					if (this.#api === opening) this.#api = null;
				};
				await api.open();
				return api;
			});
			opening.catch(() => {
				if (this.#api === opening) this.#api = null;
			});
			this.#api = opening;
		}
		return this.#api;
	}

	async create(publishers: number): Promise<JanusRoom> {
		const api = await this.#connection();
		const room = { id: randomInt(1, 2 ** 47), secret: randomBytes(16).toString('hex') };
		await api.videoroom({
			request: 'create',
			admin_key: this.#adminKey,
			room: room.id,
			secret: room.secret,
			is_private: true,
			permanent: false,
			signed_tokens: true,
			publishers,
			// Per publisher, all simulcast layers together; publishers cannot lift it.
			bitrate: this.#bitrate,
			bitrate_cap: true,
			// Only the server (with the room secret) could start recording; participants never.
			record: false,
			lock_record: true,
			fir_freq: 10,
			videocodec: 'vp8',
			// `talking` events for the active speaker: half a second of voice starts them.
			audiolevel_event: true,
			audio_active_packets: 25,
			audio_level_average: 45
		});
		this.#log.info('sfu.room_created', { room: room.id });
		return room;
	}

	async destroy(room: JanusRoom): Promise<void> {
		try {
			const api = await this.#connection();
			await api.videoroom({ request: 'destroy', room: room.id, secret: room.secret });
			this.#log.info('sfu.room_destroyed', { room: room.id });
		} catch (error) {
			// Janus restarted in between: the room is already gone.
			this.#log.info('sfu.room_destroy_skipped', { room: room.id, reason: (error as Error).message });
		}
	}

	/** Who is in the videoroom (publishers, also those not sending yet), with the display the proxy gave them. */
	async participants(room: JanusRoom): Promise<{ id: number; display?: string }[]> {
		const api = await this.#connection();
		const data = await api.videoroom({ request: 'listparticipants', room: room.id, secret: room.secret });
		return (data.participants as { id: number; display?: string }[] | undefined) ?? [];
	}

	/** Removes a publisher from the videoroom (its subscribers drop its feed at once). */
	async kick(room: JanusRoom, id: number): Promise<void> {
		try {
			const api = await this.#connection();
			await api.videoroom({ request: 'kick', room: room.id, secret: room.secret, id });
			this.#log.info('sfu.kicked', { room: room.id, id });
		} catch (error) {
			// Already gone (left, or the room ended).
			this.#log.info('sfu.kick_skipped', { room: room.id, id, reason: (error as Error).message });
		}
	}

	close(): void {
		void this.#api?.then((api) => api.close()).catch(() => undefined);
		this.#api = null;
	}
}
