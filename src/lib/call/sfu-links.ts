/**
 * This person's media on the SFU (Janus videoroom, through janus.js): a session
 * (`sfu-session.ts`), the camera and microphone published with simulcast and a shared screen as
 * a second feed (`sfu-publisher.ts`), everyone else's feeds on one subscription
 * (`sfu-subscription.ts`), and who is talking (`talking-feeds.ts`). Owns no tracks: the call does.
 */
import type { Device, RemoteMedia, SfuContext, SfuRoute } from './call-links.ts';
import { parseFeedDisplay, SCREEN_TAG, sfuKey } from '../core/call/sfu-display.ts';
import { decodingVideo, QualityMeter, readInbound } from './rtc-stats.ts';
import { SfuSession, type PublisherInfo, type VideoroomMessage } from './sfu-session.ts';
import { cameraTracks, SfuPublisher } from './sfu-publisher.ts';
import { SfuSubscription, type Feed } from './sfu-subscription.ts';
import { TalkingFeeds } from './talking-feeds.ts';
import type { Quality } from './quality.ts';

/** One person's device as received from the SFU (keyed by `sfuKey`): their camera feed and, while they share it, their screen feed. */
export type SfuRemote = { userId: string; peerId: string; camera: MediaStream | null; screen: MediaStream | null; quality: Quality };

export class SfuLinks implements SfuRoute {
	readonly #context: SfuContext;
	readonly #remotes = new Map<string, SfuRemote>();
	#session: SfuSession | null = null;
	#room = 0;
	#publisher: SfuPublisher | null = null;
	#screenPublisher: SfuPublisher | null = null;
	#subscription: SfuSubscription | null = null;
	readonly #feeds = new Map<number, Feed>();
	/** Own publisher id in the videoroom. */
	#myId: number | null = null;
	readonly #talking = new TalkingFeeds();
	readonly #quality = new QualityMeter();
	/** The subscription's path is lost for now (ICE disconnected): everyone's tile says they are reconnecting. */
	#reconnecting = false;
	#closed = false;

	constructor(context: SfuContext) {
		this.#context = context;
	}

	get room(): number {
		return this.#room;
	}

	async start(tracks: { audio: MediaStreamTrack | null; camera: MediaStreamTrack | null }): Promise<void> {
		// janus.js first: the ticket is single-use and short-lived.
		await SfuSession.load();
		const join = await this.#context.getJoin();
		this.#room = join.janusRoom;
		const session = await SfuSession.connect(join, this.#context.relayOnly, (reason) => this.#lose(reason));
		this.#session = session;
		this.#subscription = new SfuSubscription({
			session,
			room: this.#room,
			feeds: this.#feeds,
			onStream: (feed, stream) => this.#onStream(feed, stream),
			onIceState: (state) => {
				const reconnecting = state === 'disconnected';
				if (reconnecting === this.#reconnecting || !(reconnecting || state === 'connected' || state === 'completed')) return;
				this.#reconnecting = reconnecting;
				this.#context.onChange();
			},
			lose: (reason) => this.#lose(reason)
		});
		this.#publisher = await SfuPublisher.attach(session, this.#room, {
			hear: (message) => {
				if (this.#talking.hear(message)) this.#context.onChange();
			},
			onEvent: (message) => this.#onPublisherEvent(message),
			onIceFailed: () => this.#lose('media path to the SFU failed')
		});
		const joined = await this.#publisher.join(this.#context.peerId);
		this.#myId = joined.id ?? null;
		await this.#publisher.publish(cameraTracks(tracks.audio, tracks.camera));
		this.#onPublishers(joined.publishers ?? []);
	}

	#onPublisherEvent(message: VideoroomMessage) {
		if (message.videoroom !== 'event') return;
		if (message.publishers) this.#onPublishers(message.publishers);
		for (const gone of [message.unpublished, message.leaving]) if (typeof gone === 'number') this.#onUnpublished(gone);
	}

	/** What this path receives from a device: their camera, and their shared screen while there is one (a tile of its own). */
	remote(device: Device): RemoteMedia | undefined {
		const key = sfuKey(device.userId, device.peerId);
		const remote = this.#remotes.get(key);
		if (!remote) return undefined;
		return { stream: remote.camera, screen: remote.screen, quality: remote.quality, audioLevel: 0, talking: this.#isTalking(key), reconnecting: this.#reconnecting };
	}

	/** Janus says this device (an `sfuKey`) is talking (audio-level events on their camera feed). */
	#isTalking(key: string): boolean {
		for (const feed of this.#feeds.values()) if (feed.key === key && !feed.screen) return this.#talking.is(feed.id);
		return false;
	}

	#remote(feed: Feed): SfuRemote {
		let remote = this.#remotes.get(feed.key);
		if (!remote) {
			remote = { userId: feed.userId, peerId: feed.peerId, camera: null, screen: null, quality: 'unknown' };
			this.#remotes.set(feed.key, remote);
		}
		return remote;
	}

	#onPublishers(publishers: PublisherInfo[]) {
		const fresh: Feed[] = [];
		for (const p of publishers) {
			const owner = parseFeedDisplay(p.display);
			if (p.id === this.#myId || !owner || this.#feeds.has(p.id)) continue;
			// Our own screen feed comes back as a publisher too.
			if (owner.peerId === this.#context.peerId) continue;
			const feed = { id: p.id, key: sfuKey(owner.userId, owner.peerId), ...owner };
			this.#feeds.set(p.id, feed);
			this.#remote(feed);
			fresh.push(feed);
		}
		if (fresh.length) this.#subscription?.add(fresh);
	}

	#onUnpublished(id: number) {
		const feed = this.#feeds.get(id);
		if (!feed) return;
		this.#feeds.delete(id);
		this.#talking.forget(id);
		this.#subscription?.remove(id);
		const remote = this.#remotes.get(feed.key);
		if (remote) {
			if (feed.screen) remote.screen = null;
			else remote.camera = null;
			if (![...this.#feeds.values()].some((f) => f.key === feed.key)) this.#remotes.delete(feed.key);
		}
		this.#context.onChange();
	}

	#onStream(feed: Feed, stream: MediaStream) {
		const remote = this.#remote(feed);
		if (feed.screen) remote.screen = stream.getVideoTracks().length ? stream : null;
		else remote.camera = stream;
		this.#context.onChange();
	}

	setTileHeight(px: number) {
		this.#subscription?.setTileHeight(px);
	}

	async decoding(devices: readonly Device[]): Promise<Set<string>> {
		const report = await this.#subscription?.stats();
		const keys = report ? decodingVideo(report, this.#subscription!.cameraOf) : new Set<string>();
		return new Set(devices.filter((d) => keys.has(sfuKey(d.userId, d.peerId))).map((d) => d.peerId));
	}

	async readStats(): Promise<void> {
		const report = await this.#subscription?.stats();
		if (!report) return;
		const { rtt, devices } = readInbound(report, this.#subscription!.cameraOf);
		for (const [key, sample] of devices) {
			const remote = this.#remotes.get(key);
			if (!remote) continue;
			const expectVideo = this.#context.participants().find((p) => sfuKey(p.userId, p.peerId) === key)?.video ?? true;
			remote.quality = this.#quality.score(key, sample, rtt, expectVideo);
		}
	}

	async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack): Promise<void> {
		await Promise.all((this.#publisher?.senders(kind) ?? []).map((sender) => sender.replaceTrack(track)));
	}

	/** Publishes a shared screen as its own feed, so everyone keeps the camera too. */
	async publishScreen(track: MediaStreamTrack): Promise<void> {
		const publisher = await SfuPublisher.attach(this.#session!, this.#room);
		this.#screenPublisher = publisher;
		await publisher.join(SCREEN_TAG + this.#context.peerId);
		await publisher.publish([{ type: 'screen', capture: track, recv: false, dontStop: true }]);
	}

	unpublishScreen(): void {
		this.#screenPublisher?.detach();
		this.#screenPublisher = null;
	}

	#lose(reason: string) {
		if (!this.#closed) this.#context.onLost(reason);
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#subscription?.close();
		this.#publisher?.abandon();
		this.#screenPublisher?.abandon();
		this.#session?.destroy();
		this.#session = null;
		this.#remotes.clear();
	}
}
