import type { JanusJS } from 'janus-gateway';
import { lossBetween, scoreQuality, type Quality } from './quality.ts';
import { parseFeedDisplay, SCREEN_TAG, sfuKey } from '../core/call/sfu-display.ts';

/**
 * What opens the call's videoroom: its id and a single-use ticket for one `/sfu` connection
 * (fetched right before connecting; it lasts a minute). The browser holds no Janus credential:
 * the proxy adds Janus' tokens itself.
 */
export type SfuJoin = { janusRoom: number; ticket: string; iceServers: RTCIceServer[] };

/** One person's device as received from the SFU (keyed by `sfuKey`): their camera feed and, while they share it, their screen feed. */
export type SfuRemote = {
	userId: string;
	peerId: string;
	camera: MediaStream | null;
	screen: MediaStream | null;
	quality: Quality;
};

/** `key` is the `sfuKey` of the person and device the server's proxy named in the feed's display. */
type Feed = { id: number; key: string; userId: string; peerId: string; screen: boolean };
/** A publisher as Janus lists it; `talking` says whether they talk right now (events only say when it changes). */
type Publisher = { id: number; display?: string; talking?: boolean };
type Handle = JanusJS.PluginHandle;
type VideoroomMessage = JanusJS.Message & {
	videoroom?: string;
	id?: number;
	publishers?: Publisher[];
	unpublished?: number | 'ok';
	leaving?: number | 'ok';
	streams?: { mid: string; feed_id?: number; type?: string; active?: boolean }[];
	error_code?: number;
	error?: string;
};

/**
 * Who is talking, by publisher id, as Janus said it and in the order it said it: from publisher
 * lists ('joined', 'event') and `talking`/`stopped-talking` events. Events only say when it
 * changes, and can come before we know whose feed an id is (while our own publish is still being
 * negotiated), so nothing Janus says is dropped and a list read later cannot undo a newer event.
 */
export class TalkingFeeds {
	readonly #byId = new Map<number, boolean>();

	/** A message on a publisher handle; true when it said something about talking. */
	hear(message: { videoroom?: string; id?: number; publishers?: Publisher[] }): boolean {
		if (message.videoroom === 'talking' || message.videoroom === 'stopped-talking') {
			if (typeof message.id !== 'number') return false;
			this.#byId.set(message.id, message.videoroom === 'talking');
			return true;
		}
		let heard = false;
		for (const p of message.publishers ?? []) {
			if (typeof p.talking !== 'boolean') continue;
			this.#byId.set(p.id, p.talking);
			heard = true;
		}
		return heard;
	}

	is(id: number): boolean {
		return this.#byId.get(id) ?? false;
	}

	forget(id: number) {
		this.#byId.delete(id);
	}
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

const STATS_MS = 2000;
const SUBSCRIBE_BATCH_MS = 250;
/** After Janus refused a subscription change: ask again this much later, and give up the SFU after this many refusals in a row. */
const SUBSCRIBE_RETRY_MS = 300;
const SUBSCRIBE_MAX_REFUSALS = 5;
/** Per simulcast layer (high, medium, low): together they stay under the room's per-publisher bitrate. */
const SIMULCAST_BITRATES = { high: 600_000, medium: 200_000, low: 80_000 };

let loading: Promise<typeof import('janus-gateway').default> | null = null;

/** janus.js and its WebRTC adapter, loaded on first use so that rooms without big calls never download them. */
function loadJanus() {
	loading ??= Promise.all([import('janus-gateway'), import('webrtc-adapter')]).then(
		([{ default: Janus }, { default: adapter }]) =>
			new Promise((resolve) => Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: () => resolve(Janus) }))
	);
	return loading;
}

/** Loads janus.js ahead of need (when joining a call on a server with an SFU), so that a switch does not wait for it. */
export function preloadSfu(): void {
	void loadJanus();
}

/**
 * Simulcast (three layers) for camera video of 360 lines or more. Smaller video ("Data saver")
 * goes as one layer: a quarter of 320×240 is not worth a third encoder on a small device.
 */
export function wantsSimulcast(camera: MediaStreamTrack): boolean {
	return (camera.getSettings().height ?? 0) >= 360;
}

/** The simulcast layer that fits a tile of this height: Janus forwards only that one. */
export function layerForHeight(px: number): 0 | 1 | 2 {
	return px >= 300 ? 2 : px >= 150 ? 1 : 0;
}

/**
 * This person's media on the SFU (Janus videoroom, through janus.js): publishes the camera and
 * microphone with three simulcast layers, a shared screen as a second feed, and receives
 * everyone else's feeds on one multistream subscription. Owns no tracks: the call does.
 */
export class SfuLinks {
	readonly remotes = new Map<string, SfuRemote>();
	readonly #peerId: string;
	readonly #getJoin: () => Promise<SfuJoin>;
	readonly #relayOnly: boolean;
	#janus: JanusJS.Janus | null = null;
	#room = 0;
	#publisher: Handle | null = null;
	#screenPublisher: Handle | null = null;
	#subscriber: Handle | null = null;
	/** Subscription changes run one after another: Janus renegotiates each. */
	#subscriptions: Promise<void> = Promise.resolve();
	readonly #feeds = new Map<number, Feed>();
	readonly #plan = new SubscriptionPlan();
	readonly #mids = new Map<string, { feed: number; kind: string }>();
	readonly #streams = new Map<number, MediaStream>();
	readonly #layers = new Map<string, number>();
	#layer: 0 | 1 | 2 = 2;
	#stats = new Map<string, { lost: number; received: number; bytes: number }>();
	#statsTimer: ReturnType<typeof setInterval> | undefined;
	#closed = false;
	#subscribing = false;
	/** Publisher joins waiting for Janus' answer, per handle. */
	readonly #pending = new Map<Handle, { resolve: (m: VideoroomMessage) => void; reject: (e: Error) => void }>();
	/** The subscription renegotiation under way, settled when our answer is accepted. */
	#negotiated: { resolve: () => void; reject: (e: Error) => void } | null = null;
	/** Own publisher id in the videoroom. */
	#myId: number | null = null;
	readonly #talking = new TalkingFeeds();
	onChange: () => void = () => {};
	/** Whether a device (`sfuKey`) has its camera on (a quiet video stream is then not a bad link). */
	videoExpected: (key: string) => boolean = () => true;
	/** The SFU connection is gone (Janus restarted, network lost): the call decides what next. */
	onLost: (reason: string) => void = () => {};

	constructor(options: { peerId: string; getJoin: () => Promise<SfuJoin>; relayOnly: boolean }) {
		this.#peerId = options.peerId;
		this.#getJoin = options.getJoin;
		this.#relayOnly = options.relayOnly;
	}

	get room(): number {
		return this.#room;
	}

	/** Connects, joins the videoroom and publishes `audio` and `camera`; resolves once Janus accepted the offer. */
	async start(tracks: { audio: MediaStreamTrack | null; camera: MediaStreamTrack | null }): Promise<void> {
		const Janus = await loadJanus();
		const join = await this.#getJoin();
		this.#room = join.janusRoom;
		const secure = location.protocol === 'https:';
		this.#janus = await new Promise<JanusJS.Janus>((resolve, reject) => {
			let up = false;
			const janus: JanusJS.Janus = new Janus({
				server: `${secure ? 'wss' : 'ws'}://${location.host}/sfu?ticket=${encodeURIComponent(join.ticket)}`,
				iceServers: join.iceServers,
				iceTransportPolicy: this.#relayOnly ? 'relay' : 'all',
				destroyOnUnload: true,
				success: () => {
					up = true;
					resolve(janus);
				},
				error: (error: unknown) => (up ? this.#lose(String(error)) : reject(new Error(`Could not reach the SFU: ${String(error)}`)))
			});
		});
		this.#publisher = await this.#attach({
			onmessage: (message, jsep) => this.#onPublisherMessage(message as VideoroomMessage, jsep),
			iceState: (state) => state === 'failed' && this.#lose('media path to the SFU failed')
		});
		const joined = await this.#joinAsPublisher(this.#publisher, this.#peerId);
		this.#myId = joined.id ?? null;
		await this.#publish(this.#publisher, [
			...(tracks.audio ? [{ type: 'audio' as const, capture: tracks.audio, recv: false, dontStop: true }] : []),
			...(tracks.camera ? [{ type: 'video' as const, capture: tracks.camera, recv: false, dontStop: true, simulcast: wantsSimulcast(tracks.camera), simulcastMaxBitrates: SIMULCAST_BITRATES }] : [])
		]);
		this.#onPublishers(joined.publishers ?? []);
		this.#statsTimer = setInterval(() => void this.#readStats(), STATS_MS);
	}

	#attach(callbacks: Partial<JanusJS.PluginCallbacks>): Promise<Handle> {
		return new Promise((resolve, reject) =>
			this.#janus!.attach({ plugin: 'janus.plugin.videoroom', ...callbacks, success: resolve, error: (error) => reject(new Error(String(error))) })
		);
	}

	/** Joins as a publisher (the proxy completes `display` with who we are); the answer ('joined' or an error) comes as an event, which `#pending` resolves. */
	#joinAsPublisher(handle: Handle, display: string): Promise<VideoroomMessage> {
		return new Promise((resolve, reject) => {
			this.#pending.set(handle, { resolve, reject });
			handle.send({ message: { request: 'join', ptype: 'publisher', room: this.#room, display }, error: (e) => reject(new Error(e)) });
		});
	}

	#settle(handle: Handle, message: VideoroomMessage): boolean {
		const pending = this.#pending.get(handle);
		if (!pending) return false;
		if (message.videoroom === 'joined') {
			this.#pending.delete(handle);
			pending.resolve(message);
			return true;
		}
		if (message.error_code) {
			this.#pending.delete(handle);
			pending.reject(new Error(`The SFU refused to join: ${message.error}`));
			return true;
		}
		return false;
	}

	#publish(handle: Handle, tracks: JanusJS.TrackOption[]): Promise<void> {
		return new Promise((resolve, reject) =>
			handle.createOffer({
				tracks,
				success: (jsep) => handle.send({ message: { request: 'configure', audio: true, video: true }, jsep, success: () => resolve(), error: (e) => reject(new Error(e)) }),
				error: (error) => reject(error instanceof Error ? error : new Error(String(error)))
			})
		);
	}

	#onPublisherMessage(message: VideoroomMessage, jsep?: JanusJS.JSEP) {
		if (jsep) this.#publisher?.handleRemoteJsep({ jsep });
		// Before anything else, and synchronously: the 'joined' list is only read once we publish.
		if (this.#talking.hear(message)) this.onChange();
		if (this.#publisher && this.#settle(this.#publisher, message)) return;
		if (message.videoroom === 'event') {
			if (message.publishers) this.#onPublishers(message.publishers);
			for (const gone of [message.unpublished, message.leaving]) if (typeof gone === 'number') this.#onUnpublished(gone);
		}
	}

	/** Janus says this person's device (an `sfuKey`) is talking (audio-level events on their camera feed). */
	isTalking(key: string): boolean {
		for (const feed of this.#feeds.values()) if (feed.key === key && !feed.screen) return this.#talking.is(feed.id);
		return false;
	}

	#remote(feed: Feed): SfuRemote {
		let remote = this.remotes.get(feed.key);
		if (!remote) {
			remote = { userId: feed.userId, peerId: feed.peerId, camera: null, screen: null, quality: 'unknown' };
			this.remotes.set(feed.key, remote);
		}
		return remote;
	}

	#onPublishers(publishers: Publisher[]) {
		const fresh: Feed[] = [];
		for (const p of publishers) {
			const owner = parseFeedDisplay(p.display);
			if (p.id === this.#myId || !owner || this.#feeds.has(p.id)) continue;
			// Our own screen feed comes back as a publisher too.
			if (owner.peerId === this.#peerId) continue;
			const feed = { id: p.id, key: sfuKey(owner.userId, owner.peerId), ...owner };
			this.#feeds.set(p.id, feed);
			this.#remote(feed);
			fresh.push(feed);
		}
		if (fresh.length) this.#subscribe(fresh);
	}

	#onUnpublished(id: number) {
		const feed = this.#feeds.get(id);
		if (!feed) return;
		this.#feeds.delete(id);
		this.#talking.forget(id);
		this.#streams.delete(id);
		if (this.#plan.drop(id)) this.#queue(() => this.#request(this.#subscriber!, { request: 'unsubscribe', streams: [{ feed: id }] }));
		const remote = this.remotes.get(feed.key);
		if (remote) {
			if (feed.screen) remote.screen = null;
			else remote.camera = null;
			if (![...this.#feeds.values()].some((f) => f.key === feed.key)) this.remotes.delete(feed.key);
		}
		this.onChange();
	}

	#queue(step: () => Promise<unknown>) {
		this.#subscriptions = this.#subscriptions.then(step).then(
			() => undefined,
			(error) => {
				if (!this.#closed) console.warn('SFU subscription change failed', error);
			}
		);
	}

	#request(handle: Handle, message: Record<string, unknown>): Promise<unknown> {
		return new Promise((resolve, reject) => handle.send({ message: message as JanusJS.PluginMessage['message'], success: resolve, error: (e) => reject(new Error(e)) }));
	}

	/**
	 * Adds feeds to the one subscriber handle (joining it first). Each change is a renegotiation
	 * Janus starts, so changes run one at a time, and feeds that appear meanwhile are added together.
	 */
	#subscribe(feeds: Feed[]) {
		this.#plan.want(feeds.map((f) => f.id));
		if (this.#subscribing) return;
		this.#subscribing = true;
		this.#queue(async () => {
			// Publishers tend to arrive together (a switch, a Janus restart): one renegotiation for all of them.
			await new Promise((r) => setTimeout(r, SUBSCRIBE_BATCH_MS));
			try {
				while (this.#plan.pending && !this.#closed) {
					const ids = this.#plan.take((id) => this.#feeds.has(id));
					if (!ids.length) continue;
					try {
						await this.#addToSubscription(ids.map((feed) => ({ feed })));
						this.#plan.accepted();
					} catch (error) {
						if (this.#closed) return;
						// Refused, typically because someone in `ids` left meanwhile: ask again for the others.
						if (this.#plan.refused(ids) >= SUBSCRIBE_MAX_REFUSALS) return this.#lose(`the SFU keeps refusing our subscription: ${(error as Error).message}`);
						await new Promise((r) => setTimeout(r, SUBSCRIBE_RETRY_MS));
					}
				}
			} finally {
				this.#subscribing = false;
			}
		});
	}

	/** One renegotiation: joins as a subscriber with `streams`, or adds them; settles when our answer is accepted (or after 5 s). */
	async #addToSubscription(streams: { feed: number }[]) {
		const negotiated = new Promise<void>((resolve, reject) => (this.#negotiated = { resolve, reject }));
		const timeout = new Promise<void>((r) => setTimeout(r, 5000));
		if (this.#subscriber) {
			this.#subscriber.send({ message: { request: 'subscribe', streams } });
			return Promise.race([negotiated, timeout]);
		}
		const handle = await this.#attach({
			onmessage: (message, jsep) => this.#onSubscriberMessage(message as VideoroomMessage, jsep),
			onremotetrack: (track, mid, on, metadata) => this.#onRemoteTrack(track, mid, on, metadata?.reason),
			iceState: (state) => state === 'failed' && this.#lose('media path to the SFU failed')
		});
		this.#subscriber = handle;
		try {
			handle.send({ message: { request: 'join', ptype: 'subscriber', room: this.#room, streams } });
			await Promise.race([negotiated, timeout]);
		} catch (error) {
			// A refused join leaves the handle outside the room: the next attempt joins on a fresh one.
			if (this.#subscriber === handle) this.#subscriber = null;
			this.#mids.clear();
			handle.detach();
			throw error;
		}
	}

	#onSubscriberMessage(message: VideoroomMessage, jsep?: JanusJS.JSEP) {
		if (message.streams) {
			for (const s of message.streams) if (s.feed_id !== undefined) this.#mids.set(s.mid, { feed: s.feed_id, kind: s.type ?? '' });
		}
		if (message.error_code) {
			this.#negotiated?.reject(new Error(message.error ?? 'SFU error'));
			this.#negotiated = null;
			return;
		}
		if (!jsep || !this.#subscriber) return;
		const handle = this.#subscriber;
		handle.createAnswer({
			jsep,
			tracks: [],
			success: (answer) =>
				handle.send({
					message: { request: 'start', room: this.#room },
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
		const feed = slot && this.#feeds.get(slot.feed);
		if (!feed) return;
		let stream = this.#streams.get(feed.id);
		if (on) {
			// A fresh stream object when tracks change, so the tile re-attaches it.
			stream = new MediaStream([...(stream?.getTracks().filter((t) => t.kind !== track.kind) ?? []), track]);
			this.#streams.set(feed.id, stream);
		} else if (reason === 'ended' && stream) {
			stream = new MediaStream(stream.getTracks().filter((t) => t !== track));
			this.#streams.set(feed.id, stream);
		} else {
			return;
		}
		const remote = this.#remote(feed);
		if (feed.screen) remote.screen = stream.getVideoTracks().length ? stream : null;
		else remote.camera = stream;
		this.onChange();
	}

	/** Asks Janus for the simulcast layer that fits tiles of this height (on every camera feed). */
	setTileHeight(px: number) {
		this.#layer = layerForHeight(px);
		this.#applyLayers();
	}

	#applyLayers() {
		if (!this.#subscriber) return;
		const streams = [...this.#mids]
			.filter(([mid, slot]) => slot.kind === 'video' && !this.#feeds.get(slot.feed)?.screen && this.#layers.get(mid) !== this.#layer)
			.map(([mid]) => ({ mid, substream: this.#layer }));
		if (!streams.length) return;
		for (const s of streams) this.#layers.set(s.mid, s.substream);
		this.#subscriber.send({ message: { request: 'configure', streams } });
	}

	/** Devices (`sfuKey`s) whose camera video is being decoded from the SFU (not merely announced): safe to switch over to. */
	async decodingPeers(): Promise<Set<string>> {
		const peers = new Set<string>();
		const pc = this.#subscriber?.webrtcStuff.pc;
		if (!pc) return peers;
		(await pc.getStats()).forEach((s) => {
			if (s.type !== 'inbound-rtp' || s.kind !== 'video' || !s.mid || !(s.framesDecoded > 0)) return;
			const feed = this.#feeds.get(this.#mids.get(s.mid)?.feed ?? -1);
			if (feed && !feed.screen) peers.add(feed.key);
		});
		return peers;
	}

	/** The senders of the published camera feed, for swapping devices without renegotiating. */
	senders(kind: 'audio' | 'video'): RTCRtpSender[] {
		return this.#publisher?.webrtcStuff.pc?.getSenders().filter((s) => s.track?.kind === kind || (s.track === null && kind === 'video')) ?? [];
	}

	/** Publishes a shared screen as its own feed, so everyone keeps the camera too. */
	async publishScreen(track: MediaStreamTrack): Promise<void> {
		const handle = await this.#attach({ onmessage: (message, jsep) => {
			if (jsep) handle.handleRemoteJsep({ jsep });
			this.#settle(handle, message as VideoroomMessage);
		} });
		this.#screenPublisher = handle;
		await this.#joinAsPublisher(handle, SCREEN_TAG + this.#peerId);
		await this.#publish(handle, [{ type: 'screen', capture: track, recv: false, dontStop: true }]);
	}

	unpublishScreen(): void {
		this.#screenPublisher?.detach();
		this.#screenPublisher = null;
	}

	async #readStats() {
		const pc = this.#subscriber?.webrtcStuff.pc;
		if (!pc) return;
		const report = await pc.getStats();
		let rtt: number | undefined;
		const perPeer = new Map<string, { lost: number; received: number; bytes: number }>();
		report.forEach((s) => {
			if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) rtt = s.currentRoundTripTime;
			if (s.type !== 'inbound-rtp' || !s.mid) return;
			const feed = this.#feeds.get(this.#mids.get(s.mid)?.feed ?? -1);
			if (!feed || feed.screen) return;
			const sum = perPeer.get(feed.key) ?? { lost: 0, received: 0, bytes: 0 };
			sum.lost += s.packetsLost ?? 0;
			sum.received += s.packetsReceived ?? 0;
			if (s.kind === 'video') sum.bytes += s.bytesReceived ?? 0;
			perPeer.set(feed.key, sum);
		});
		for (const [key, sample] of perPeer) {
			const remote = this.remotes.get(key);
			if (!remote) continue;
			const before = this.#stats.get(key);
			const bitrate = before ? (((sample.bytes - before.bytes) * 8) / STATS_MS) * 1000 : undefined;
			remote.quality = scoreQuality({ rttSeconds: rtt, lossFraction: before ? lossBetween(before, sample) : undefined, bitrateBps: bitrate, expectVideo: this.videoExpected(key) });
			this.#stats.set(key, sample);
		}
		this.onChange();
	}

	#lose(reason: string) {
		if (this.#closed) return;
		this.onLost(reason);
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#statsTimer);
		for (const pending of this.#pending.values()) pending.reject(new Error('left the SFU'));
		this.#pending.clear();
		// Leaving explicitly lets the others drop our feeds at once; then the session goes.
		this.#janus?.destroy({ cleanupHandles: true, notifyDestroyed: false });
		this.#janus = null;
		this.remotes.clear();
	}
}
