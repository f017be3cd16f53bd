import { createHash } from 'node:crypto';
import { Agent } from 'node:https';
import type { DatabaseSync } from 'node:sqlite';
import webPush from 'web-push';
import type { PushPayload, SubscriptionBody } from '#lib/push/schemas.ts';
import { ApiFailure } from './api-failure.ts';
import type { RoomEvents } from './events.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import { resolvePublic, type Lookup } from './public-address.ts';
import { PublicAgent } from './public-agent.ts';
import { secondsUntilAllowed, SlidingWindowLimiter } from './rate-limit.ts';
import type { Rooms } from './rooms.ts';
import { m } from '../paraglide/messages.js';
import { mentionsAsNames } from '../core/chat/mentions.ts';

export type Vapid = { subject: string; publicKey: string; privateKey: string };

/** A device's subscription, with the language its person chose (null: the device's own). */
type Row = { endpoint: string; userId: string; p256dh: string; auth: string; messages: number; locale: string | null };

/** A ring is worth nothing after this: the push service may drop it rather than deliver it late. */
const RING_TTL_SECONDS = 45;
const MESSAGE_TTL_SECONDS = 60 * 60 * 24;
const MINUTE_MS = 60_000;
const REFUSED_CODES = new Set(['ERR_ADDRESS_NOT_PUBLIC', 'ERR_PORT_REFUSED']);
const ENDPOINT_RULE =
	'endpoint must be the URL of a push service on the public internet (https on port 443, a host with public addresses only); this one is not, so Parley will not send to it.';

export type PushLimits = {
	/** Subscriptions (devices) kept per person; a new one replaces their oldest. */
	subscriptionsPerPerson: number;
	/** Rings (and ring ends, declines) one person may send per minute. */
	ringsPerMinute: number;
	/** Rings one room may send per minute, whoever starts them. */
	roomRingsPerMinute: number;
};
export const DEFAULT_PUSH_LIMITS: PushLimits = { subscriptionsPerPerson: 10, ringsPerMinute: 6, roomRingsPerMinute: 12 };

export type PushOptions = {
	db: DatabaseSync;
	rooms: Rooms;
	events: RoomEvents;
	log: Logger;
	/** Counts pushes sent and failed. */
	metrics: Pick<Metrics, 'push'>;
	vapid: Vapid;
	/** People in a room's call right now (from the sync service's awareness); they are not rung. */
	inCall?: (roomId: string) => ReadonlySet<string>;
	limits?: PushLimits;
	/**
	 * For tests and development only: send to any https endpoint, private addresses and any port
	 * included. Off, endpoints must be public (checked on subscribing and again on every connection).
	 */
	allowPrivateEndpoints?: boolean;
	/** Extra certificate authorities to trust for push services (tests: a local push service). */
	ca?: string | Buffer;
	/** Name resolution for endpoint hosts (node:dns by default). */
	resolve?: Lookup;
};

/**
 * Web push: subscriptions per person and device, ringing for calls, and (when a person
 * asks for it) new-message notifications. Payloads are encrypted by web-push; subscriptions
 * the push service reports gone (404/410) are deleted.
 */
export class Push {
	readonly #db: DatabaseSync;
	readonly #rooms: Rooms;
	readonly #events: RoomEvents;
	readonly #log: Logger;
	readonly #metrics: Pick<Metrics, 'push'>;
	readonly #vapid: Vapid;
	readonly #agent: Agent | undefined;
	readonly #allowPrivate: boolean;
	readonly #resolve: Lookup | undefined;
	readonly #limits: PushLimits;
	readonly #rings: SlidingWindowLimiter;
	readonly #roomRings: SlidingWindowLimiter;
	readonly #ringEnds: SlidingWindowLimiter;
	readonly #declines: SlidingWindowLimiter;
	readonly #inCall: (roomId: string) => ReadonlySet<string>;

	constructor(options: PushOptions) {
		this.#db = options.db;
		this.#rooms = options.rooms;
		this.#events = options.events;
		this.#log = options.log;
		this.#metrics = options.metrics;
		this.#vapid = options.vapid;
		this.#allowPrivate = options.allowPrivateEndpoints ?? false;
		this.#resolve = options.resolve;
		const tls = options.ca ? { ca: options.ca } : {};
		// The address policy sits in the agent, so it holds for the address each connection really uses.
		this.#agent = this.#allowPrivate ? (options.ca ? new Agent(tls) : undefined) : new PublicAgent({ ...tls, onlyPort: 443, resolve: options.resolve });
		this.#limits = options.limits ?? DEFAULT_PUSH_LIMITS;
		this.#rings = new SlidingWindowLimiter(this.#limits.ringsPerMinute, MINUTE_MS);
		this.#roomRings = new SlidingWindowLimiter(this.#limits.roomRingsPerMinute, MINUTE_MS);
		this.#ringEnds = new SlidingWindowLimiter(this.#limits.ringsPerMinute, MINUTE_MS);
		this.#declines = new SlidingWindowLimiter(this.#limits.ringsPerMinute, MINUTE_MS);
		this.#inCall = options.inCall ?? (() => new Set());
	}

	get publicKey(): string {
		return this.#vapid.publicKey;
	}

	/** Keeps a device's subscription; a person's oldest devices beyond the limit are dropped. */
	async subscribe(userId: string, body: SubscriptionBody): Promise<void> {
		await this.#checkEndpoint(body.endpoint);
		const existing = this.#db.prepare('select userId from push_subscription where endpoint = ?').get(body.endpoint) as { userId: string } | undefined;
		if (existing && existing.userId !== userId) {
			throw new ApiFailure(409, m.err_push_other_account(), 'endpoint');
		}
		this.#db
			.prepare(
				`insert into push_subscription (endpoint, userId, p256dh, auth, messages, createdAt) values (?, ?, ?, ?, ?, ?)
				 on conflict (endpoint) do update set p256dh = excluded.p256dh, auth = excluded.auth, messages = excluded.messages`
			)
			.run(body.endpoint, userId, body.keys.p256dh, body.keys.auth, body.messages ? 1 : 0, Date.now());
		const dropped = this.#db
			.prepare(
				`delete from push_subscription where userId = ? and endpoint not in
				 (select endpoint from push_subscription where userId = ? order by createdAt desc, rowid desc limit ?)`
			)
			.run(userId, userId, this.#limits.subscriptionsPerPerson);
		if (dropped.changes) this.#log.info('push.subscriptions_replaced', { userId, dropped: Number(dropped.changes) });
	}

	/** Refuses (400, naming the field) an endpoint the server must not connect to. */
	async #checkEndpoint(endpoint: string): Promise<void> {
		if (this.#allowPrivate) return;
		const url = new URL(endpoint);
		if (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443')) throw new ApiFailure(400, ENDPOINT_RULE, 'endpoint');
		// One answer for every failure (not found, private, …): the answer tells nothing about the internal network.
		await resolvePublic(url.hostname, this.#resolve).catch(() => {
			throw new ApiFailure(400, ENDPOINT_RULE, 'endpoint');
		});
	}

	/** Removes one of the person's own subscriptions; someone else's is "not found". */
	unsubscribe(userId: string, endpoint: string): void {
		const result = this.#db.prepare('delete from push_subscription where endpoint = ? and userId = ?').run(endpoint, userId);
		if (result.changes === 0) throw new ApiFailure(404, m.err_push_no_subscription(), 'endpoint');
	}

	#subscriptionsOf(userIds: string[]): Row[] {
		if (!userIds.length) return [];
		return this.#db
			.prepare(`select s.endpoint, s.userId, s.p256dh, s.auth, s.messages, u.locale from push_subscription s join user u on u.id = s.userId where s.userId in (${userIds.map(() => '?').join(',')})`)
			.all(...userIds) as Row[];
	}

	async #send(rows: Row[], payload: PushPayload, options: { ttl: number; urgency: webPush.Urgency; topic?: string }): Promise<number> {
		const results = await Promise.all(
			rows.map(async (row) => {
				try {
					// The service worker words the notification in the person's language, else its browser's.
					const body = row.locale && payload.type !== 'ring-end' ? { ...payload, locale: row.locale } : payload;
					await webPush.sendNotification({ endpoint: row.endpoint, keys: { p256dh: row.p256dh, auth: row.auth } }, JSON.stringify(body), {
						TTL: options.ttl,
						urgency: options.urgency,
						topic: options.topic,
						vapidDetails: this.#vapid,
						timeout: 10_000,
						...(this.#agent ? { agent: this.#agent } : {})
					});
					this.#metrics.push.inc({ result: 'sent' });
					return true;
				} catch (error) {
					this.#metrics.push.inc({ result: 'failed' });
					const status = (error as { statusCode?: number }).statusCode;
					const code = (error as { code?: string }).code;
					if (code && REFUSED_CODES.has(code)) {
						// Accepted once, but its host now points somewhere private (or it was stored before the checks).
						this.#log.warn('push.endpoint_refused', { userId: row.userId, host: hostOf(row.endpoint), reason: (error as Error).message });
					} else if (status === 404 || status === 410) {
						this.#db.prepare('delete from push_subscription where endpoint = ?').run(row.endpoint);
						this.#log.info('push.subscription_gone', { userId: row.userId, status });
					} else {
						this.#log.warn('push.failed', { userId: row.userId, status, error: (error as Error).message });
					}
					return false;
				}
			})
		);
		return results.filter(Boolean).length;
	}

	/**
	 * Rings every other member of the room who is not already in its call. Answers at once with
	 * how many people are rung; `sent` settles with how many devices the pushes reached.
	 */
	ring(roomId: string, caller: { id: string; name: string }): { people: number; sent: Promise<number> } {
		const { room } = this.#rooms.requireMember(roomId, caller.id);
		limit(
			[this.#rings, caller.id, (s) => m.err_rings_too_often({ seconds: s, max: this.#limits.ringsPerMinute })],
			[this.#roomRings, roomId, (s) => m.err_room_rings_too_often({ seconds: s, max: this.#limits.roomRingsPerMinute })]
		);
		const inCall = this.#inCall(roomId);
		// People who blocked the caller are simply not rung.
		const others = this.#rooms.blocks.notBlocking(caller.id, this.#rooms.memberIds(roomId)).filter((id) => id !== caller.id && !inCall.has(id));
		const roomName = room.kind === 'direct' ? caller.name : room.name;
		const payload: PushPayload = { type: 'ring', roomId, roomName, callerId: caller.id, callerName: caller.name, at: Date.now() };
		// People with Parley open get an in-app banner; the push reaches the others (and their other devices).
		this.#events.emit({ roomId, kind: 'ringing', notify: others, revoked: [], by: caller.id, names: { by: caller.name, room: roomName } });
		const sent = this.#send(this.#subscriptionsOf(others), payload, { ttl: RING_TTL_SECONDS, urgency: 'high', topic: topicFor(roomId) }).then((reached) => {
			this.#log.info('push.ring', { roomId, userId: caller.id, people: others.length, devices: reached });
			return reached;
		});
		return { people: others.length, sent };
	}

	/** A member ends the ringing for the whole room (the call ended or was cancelled); sent in the background. */
	cancelRing(roomId: string, userId: string): void {
		this.#rooms.requireMember(roomId, userId);
		limit([this.#ringEnds, userId, (s) => m.err_ring_ends_too_often({ seconds: s })]);
		void this.endRing(roomId);
	}

	/** Closes the ringing notification (same tag) for the given people, or every member: the call ended or they joined elsewhere. */
	async endRing(roomId: string, userIds?: string[]): Promise<number> {
		const targets = userIds ?? this.#rooms.memberIds(roomId);
		this.#events.emit({ roomId, kind: 'ring-ended', notify: targets, revoked: [] });
		return this.#send(this.#subscriptionsOf(targets), { type: 'ring-end', roomId }, { ttl: RING_TTL_SECONDS, urgency: 'high', topic: topicFor(roomId) });
	}

	/** Someone declined from the notification: tell the people in the call (the caller's page listens). */
	decline(roomId: string, userId: string): void {
		this.#rooms.requireMember(roomId, userId);
		limit([this.#declines, userId, (s) => m.err_declines_too_often({ seconds: s, max: this.#limits.ringsPerMinute })]);
		const notify = this.#rooms.memberIds(roomId).filter((id) => id !== userId);
		this.#events.emit({ roomId, kind: 'ring-declined', notify, revoked: [], by: userId });
		void this.endRing(roomId, [userId]);
	}

	/**
	 * New messages (`added`, oldest first) for the members who do not have the room open, as each one's level for the room
	 * says (rooms.ts): "all" hears the latest on the devices that asked for message notifications; a mention of a person
	 * reaches all of their devices unless their level is "none" (mentioning someone is asking for their attention).
	 */
	async messages(roomId: string, added: NewMessage[], present: Set<string>): Promise<number> {
		const latest = added.at(-1);
		if (!latest) return 0;
		const levels = this.#rooms.notificationLevels(roomId);
		const away = [...levels.keys()].filter((id) => !present.has(id) && levels.get(id) !== 'none');
		const rows = this.#subscriptionsOf(away);
		if (!rows.length) return 0;
		const detail = this.#rooms.get(latest.authorId, roomId);
		const names = new Map(detail.members.map((member) => [member.userId, member.name]));
		const nameOf = (id: string) => names.get(id) ?? m.someone();
		const payloadOf = (message: NewMessage, count: number, mention: boolean): PushPayload => {
			const authorName = nameOf(message.authorId);
			const text = mentionsAsNames(message.text, message.mentions, nameOf).slice(0, 200);
			return { type: 'message', roomId, roomName: detail.kind === 'direct' ? authorName : detail.name, authorName, text, count, ...(mention ? { mention: true } : {}) };
		};
		const byPayload = new Map<PushPayload, Row[]>();
		const payloads = new Map<string, PushPayload>();
		for (const row of rows) {
			const mentioned = added.findLast((message) => message.authorId !== row.userId && message.mentions?.includes(row.userId));
			let payload: PushPayload | undefined;
			if (mentioned) {
				const key = `mention:${row.userId}`;
				payload = payloads.get(key) ?? payloadOf(mentioned, 1, true);
				payloads.set(key, payload);
			} else if (row.messages === 1 && levels.get(row.userId) === 'all' && latest.authorId !== row.userId) {
				payload = payloads.get('latest') ?? payloadOf(latest, added.length, false);
				payloads.set('latest', payload);
			}
			if (payload) byPayload.set(payload, [...(byPayload.get(payload) ?? []), row]);
		}
		const sent = await Promise.all([...byPayload].map(([payload, to]) => this.#send(to, payload, { ttl: MESSAGE_TTL_SECONDS, urgency: 'normal' })));
		return sent.reduce((a, b) => a + b, 0);
	}
}

/** A message the room just got, as push tells of it. */
export type NewMessage = { authorId: string; text: string; mentions?: string[] };

type Limit = [limiter: SlidingWindowLimiter, key: string, message: (seconds: number) => string];

/** Records the action under every limit, or (when any is reached) refuses it with 429 and when to try again, recording nothing. */
function limit(...limits: Limit[]): void {
	for (const [limiter, key, message] of limits) {
		if (limiter.waitMs(key) > 0) throw new ApiFailure(429, message(secondsUntilAllowed(limiter, key)));
	}
	for (const [limiter, key] of limits) limiter.take(key);
}

function hostOf(endpoint: string): string {
	try {
		return new URL(endpoint).host;
	} catch {
		return 'unparsable';
	}
}

/** Push services replace an undelivered message with the same topic (at most 32 URL-safe characters). */
function topicFor(roomId: string): string {
	return createHash('sha256').update(`call:${roomId}`).digest('base64url').slice(0, 32);
}
