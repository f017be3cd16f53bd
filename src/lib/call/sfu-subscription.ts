/**
 * Everyone else's feeds, received on one multistream subscription: feeds are added (and removed)
 * as publishers come and go, each change a renegotiation Janus starts, and the simulcast layer
 * that fits the tiles is asked for on every camera feed.
 */
import type { JanusJS } from 'janus-gateway';
import { request, type Handle, type SfuSession, type VideoroomMessage } from './sfu-session.ts';
import type { DeviceOf, StatsReport } from './rtc-stats.ts';

/** A feed on the SFU; `key` is the `sfuKey` of the person and device the server's proxy named in its display. */
export type Feed = { id: number; key: string; userId: string; peerId: string; screen: boolean };

const SUBSCRIBE_BATCH_MS = 250;
/** After Janus refused a subscription change: ask again this much later, and give up the SFU after this many refusals in a row. */
const SUBSCRIBE_RETRY_MS = 300;
const SUBSCRIBE_MAX_REFUSALS = 5;
/** A renegotiation not answered by then is taken as done (the next change renegotiates anyway). */
const NEGOTIATION_MS = 5000;

/** The simulcast layer that fits a tile of this height: Janus forwards only that one. */
export function layerForHeight(px: number): 0 | 1 | 2 {
	return px >= 300 ? 2 : px >= 150 ? 1 : 0;
}

/**
 * The feeds our one subscription should carry: those to add at the next renegotiation, and those
 * Janus already sends. Janus refuses a whole join or subscribe when one feed in it is gone ("No
 * such feed": someone left while we asked), so refused feeds are asked for again, without the gone.
 */
export class SubscriptionPlan {
	readonly #wanted = new Set<number>();
	readonly #subscribed = new Set<number>();
	#refusals = 0;

	want(ids: Iterable<number>) {
		for (const id of ids) if (!this.#subscribed.has(id)) this.#wanted.add(id);
	}

	get pending(): boolean {
		return this.#wanted.size > 0;
	}

	/** The wanted feeds that are still published, now counted as subscribed. */
	take(published: (id: number) => boolean): number[] {
		const ids = [...this.#wanted].filter(published);
		this.#wanted.clear();
		for (const id of ids) this.#subscribed.add(id);
		return ids;
	}

	accepted() {
		this.#refusals = 0;
	}

	/** Janus refused to add these: they are wanted again. Returns how many refusals in a row. */
	refused(ids: number[]): number {
		for (const id of ids) this.#subscribed.delete(id);
		this.want(ids);
		return ++this.#refusals;
	}

	/** A feed is gone; true when Janus was sending it (so it must be unsubscribed). */
	drop(id: number): boolean {
		this.#wanted.delete(id);
		return this.#subscribed.delete(id);
	}
}

export type SubscriptionContext = {
	session: SfuSession;
	room: number;
	/** The feeds published now (the subscription asks only for these). */
	feeds: ReadonlyMap<number, Feed>;
	/** A feed's stream changed (a fresh object when its tracks change, so that a tile re-attaches it). */
	onStream: (feed: Feed, stream: MediaStream) => void;
	/** The ICE state of the link that carries everyone's media ('disconnected' while its path is being restored). */
	onIceState?: (state: RTCIceConnectionState) => void;
	lose: (reason: string) => void;
};

export class SfuSubscription {
	readonly #context: SubscriptionContext;
	#handle: Handle | null = null;
	/** Subscription changes run one after another: Janus renegotiates each. */
	#queue: Promise<void> = Promise.resolve();
	readonly #plan = new SubscriptionPlan();
	#adding = false;
	readonly #mids = new Map<string, { feed: number; kind: string }>();
	readonly #streams = new Map<number, MediaStream>();
	readonly #layers = new Map<string, number>();
	#layer: 0 | 1 | 2 = 2;
	/** The renegotiation under way, settled when our answer is accepted. */
	#negotiated: { resolve: () => void; reject: (e: Error) => void } | null = null;
	#closed = false;

	constructor(context: SubscriptionContext) {
		this.#context = context;
	}

	/** The device (`sfuKey`) of an inbound camera stream, for the stats reader; screens are left out. */
	readonly cameraOf: DeviceOf = (inbound) => {
		const feed = inbound.mid ? this.#context.feeds.get(this.#mids.get(inbound.mid)?.feed ?? -1) : undefined;
		return feed && !feed.screen ? feed.key : null;
	};

	async stats(): Promise<StatsReport | null> {
		return (await this.#handle?.webrtcStuff.pc?.getStats()) ?? null;
	}

	/**
	 * Adds feeds (joining the subscription first). Changes run one at a time, and feeds that
	 * appear meanwhile are added together.
	 */
	add(feeds: Feed[]) {
		this.#plan.want(feeds.map((f) => f.id));
		if (this.#adding) return;
		this.#adding = true;
		this.#run(async () => {
			// Publishers tend to arrive together (a switch, a Janus restart): one renegotiation for all of them.
			await new Promise((r) => setTimeout(r, SUBSCRIBE_BATCH_MS));
			try {
				while (this.#plan.pending && !this.#closed) {
					const ids = this.#plan.take((id) => this.#context.feeds.has(id));
					if (!ids.length) continue;
					try {
						await this.#renegotiate(ids.map((feed) => ({ feed })));
						this.#plan.accepted();
					} catch (error) {
						if (this.#closed) return;
						// Refused, typically because someone in `ids` left meanwhile: ask again for the others.
						if (this.#plan.refused(ids) >= SUBSCRIBE_MAX_REFUSALS) return this.#context.lose(`the SFU keeps refusing our subscription: ${(error as Error).message}`);
						await new Promise((r) => setTimeout(r, SUBSCRIBE_RETRY_MS));
					}
				}
			} finally {
				this.#adding = false;
			}
		});
	}

	/** A feed is gone: stop receiving it. */
	remove(id: number) {
		this.#streams.delete(id);
		if (this.#plan.drop(id)) this.#run(() => request(this.#handle!, { request: 'unsubscribe', streams: [{ feed: id }] }));
	}

	/** Asks Janus for the simulcast layer that fits tiles of this height (on every camera feed). */
	setTileHeight(px: number) {
		this.#layer = layerForHeight(px);
		this.#applyLayers();
	}

	close() {
		this.#closed = true;
	}

	#run(step: () => Promise<unknown>) {
		this.#queue = this.#queue.then(step).then(
			() => undefined,
			(error) => {
				if (!this.#closed) console.warn('SFU subscription change failed', error);
			}
		);
	}

	/** One renegotiation: joins as a subscriber with `streams`, or adds them; settles when our answer is accepted (or after NEGOTIATION_MS). */
	async #renegotiate(streams: { feed: number }[]) {
		const negotiated = new Promise<void>((resolve, reject) => (this.#negotiated = { resolve, reject }));
		const timeout = new Promise<void>((r) => setTimeout(r, NEGOTIATION_MS));
		if (this.#handle) {
			this.#handle.send({ message: { request: 'subscribe', streams } });
			return Promise.race([negotiated, timeout]);
		}
		const handle = await this.#context.session.attach({
			onmessage: (message, jsep) => this.#onMessage(message as VideoroomMessage, jsep),
			onremotetrack: (track, mid, on, metadata) => this.#onRemoteTrack(track, mid, on, metadata?.reason),
			iceState: (state) => {
				this.#context.onIceState?.(state);
				if (state === 'failed') this.#context.lose('media path to the SFU failed');
			}
		});
		this.#handle = handle;
		try {
			handle.send({ message: { request: 'join', ptype: 'subscriber', room: this.#context.room, streams } });
			await Promise.race([negotiated, timeout]);
		} catch (error) {
			// A refused join leaves the handle outside the room: the next attempt joins on a fresh one.
			if (this.#handle === handle) this.#handle = null;
			this.#mids.clear();
			handle.detach();
			throw error;
		}
	}

	#onMessage(message: VideoroomMessage, jsep?: JanusJS.JSEP) {
		for (const s of message.streams ?? []) if (s.feed_id !== undefined) this.#mids.set(s.mid, { feed: s.feed_id, kind: s.type ?? '' });
		if (message.error_code) {
			this.#negotiated?.reject(new Error(message.error ?? 'SFU error'));
			this.#negotiated = null;
			return;
		}
		if (!jsep || !this.#handle) return;
		const handle = this.#handle;
		handle.createAnswer({
			jsep,
			tracks: [],
			success: (answer) =>
				handle.send({
					message: { request: 'start', room: this.#context.room },
					jsep: answer,
					success: () => {
						this.#negotiated?.resolve();
						this.#negotiated = null;
						this.#applyLayers();
					}
				}),
			error: (error) => this.#negotiated?.reject(new Error(String(error)))
		});
	}

	#onRemoteTrack(track: MediaStreamTrack, mid: string, on: boolean, reason?: string) {
		const slot = this.#mids.get(mid);
		const feed = slot && this.#context.feeds.get(slot.feed);
		if (!feed) return;
		let stream = this.#streams.get(feed.id);
		if (on) {
			stream = new MediaStream([...(stream?.getTracks().filter((t) => t.kind !== track.kind) ?? []), track]);
		} else if (reason === 'ended' && stream) {
			stream = new MediaStream(stream.getTracks().filter((t) => t !== track));
		} else {
			return;
		}
		this.#streams.set(feed.id, stream);
		this.#context.onStream(feed, stream);
	}

	#applyLayers() {
		if (!this.#handle) return;
		const streams = [...this.#mids]
			.filter(([mid, slot]) => slot.kind === 'video' && !this.#context.feeds.get(slot.feed)?.screen && this.#layers.get(mid) !== this.#layer)
			.map(([mid]) => ({ mid, substream: this.#layer }));
		if (!streams.length) return;
		for (const s of streams) this.#layers.set(s.mid, s.substream);
		this.#handle.send({ message: { request: 'configure', streams } });
	}
}
