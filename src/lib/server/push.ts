import { createHash } from 'node:crypto';
import type { Agent } from 'node:https';
import type { DatabaseSync } from 'node:sqlite';
import webPush from 'web-push';
import type { PushPayload, SubscriptionBody } from '#lib/push/schemas.ts';
import { ApiFailure } from './api-failure.ts';
import type { RoomEvents } from './events.ts';
import type { Logger } from './log.ts';
import type { Rooms } from './rooms.ts';

export type Vapid = { subject: string; publicKey: string; privateKey: string };

type Row = { endpoint: string; userId: string; p256dh: string; auth: string; messages: number };

/** A ring is worth nothing after this: the push service may drop it rather than deliver it late. */
const RING_TTL_SECONDS = 45;
const MESSAGE_TTL_SECONDS = 60 * 60 * 24;

export type PushOptions = {
	db: DatabaseSync;
	rooms: Rooms;
	events: RoomEvents;
	log: Logger;
	vapid: Vapid;
	/** People in a room's call right now (from the sync service's awareness); they are not rung. */
	inCall?: (roomId: string) => Set<string>;
	/** HTTPS agent for reaching push services, e.g. one that trusts a private CA. */
	agent?: Agent;
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
	readonly #vapid: Vapid;
	readonly #agent: Agent | undefined;
	inCall: (roomId: string) => Set<string>;

	constructor(options: PushOptions) {
		this.#db = options.db;
		this.#rooms = options.rooms;
		this.#events = options.events;
		this.#log = options.log;
		this.#vapid = options.vapid;
		this.#agent = options.agent;
		this.inCall = options.inCall ?? (() => new Set());
	}

	get publicKey(): string {
		return this.#vapid.publicKey;
	}

	subscribe(userId: string, body: SubscriptionBody): void {
		const existing = this.#db.prepare('select userId from push_subscription where endpoint = ?').get(body.endpoint) as { userId: string } | undefined;
		if (existing && existing.userId !== userId) {
			throw new ApiFailure(409, 'This browser is subscribed for another account. Sign out there first (that removes its subscription), then turn notifications on here.', 'endpoint');
		}
		this.#db
			.prepare(
				`insert into push_subscription (endpoint, userId, p256dh, auth, messages, createdAt) values (?, ?, ?, ?, ?, ?)
				 on conflict (endpoint) do update set p256dh = excluded.p256dh, auth = excluded.auth, messages = excluded.messages`
			)
			.run(body.endpoint, userId, body.keys.p256dh, body.keys.auth, body.messages ? 1 : 0, Date.now());
	}

	/** Removes one of the person's own subscriptions; someone else's is "not found". */
	unsubscribe(userId: string, endpoint: string): void {
		const result = this.#db.prepare('delete from push_subscription where endpoint = ? and userId = ?').run(endpoint, userId);
		if (result.changes === 0) throw new ApiFailure(404, 'You have no such push subscription.', 'endpoint');
	}

	#subscriptionsOf(userIds: string[]): Row[] {
		if (!userIds.length) return [];
		return this.#db
			.prepare(`select endpoint, userId, p256dh, auth, messages from push_subscription where userId in (${userIds.map(() => '?').join(',')})`)
			.all(...userIds) as Row[];
	}

	async #send(rows: Row[], payload: PushPayload, options: { ttl: number; urgency: webPush.Urgency; topic?: string }): Promise<number> {
		const results = await Promise.all(
			rows.map(async (row) => {
				try {
					await webPush.sendNotification({ endpoint: row.endpoint, keys: { p256dh: row.p256dh, auth: row.auth } }, JSON.stringify(payload), {
						TTL: options.ttl,
						urgency: options.urgency,
						topic: options.topic,
						vapidDetails: this.#vapid,
						timeout: 10_000,
						...(this.#agent ? { agent: this.#agent } : {})
					});
					return true;
				} catch (error) {
					const status = (error as { statusCode?: number }).statusCode;
					if (status === 404 || status === 410) {
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

	/** Rings every other member of the room who is not already in its call. Returns how many devices were reached. */
	async ring(roomId: string, caller: { id: string; name: string }): Promise<number> {
		const { room } = this.#rooms.requireMember(roomId, caller.id);
		const inCall = this.inCall(roomId);
		// People who blocked the caller are simply not rung.
		const others = this.#rooms.blocks.notBlocking(caller.id, this.#rooms.memberIds(roomId)).filter((id) => id !== caller.id && !inCall.has(id));
		const roomName = room.kind === 'direct' ? caller.name : room.name;
		const payload: PushPayload = { type: 'ring', roomId, roomName, callerId: caller.id, callerName: caller.name, at: Date.now() };
		// People with Parley open get an in-app banner; the push reaches the others (and their other devices).
		this.#events.emit({ roomId, kind: 'ringing', notify: others, revoked: [], by: caller.id, names: { by: caller.name, room: roomName } });
		const reached = await this.#send(this.#subscriptionsOf(others), payload, { ttl: RING_TTL_SECONDS, urgency: 'high', topic: topicFor(roomId) });
		this.#log.info('push.ring', { roomId, userId: caller.id, people: others.length, devices: reached });
		return reached;
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
		const notify = this.#rooms.memberIds(roomId).filter((id) => id !== userId);
		this.#events.emit({ roomId, kind: 'ring-declined', notify, revoked: [], by: userId });
		void this.endRing(roomId, [userId]);
	}

	/** New messages, for members who asked for message notifications and do not have the room open. */
	async messages(roomId: string, latest: { authorId: string; text: string }, count: number, present: Set<string>): Promise<number> {
		const members = this.#rooms.memberIds(roomId).filter((id) => id !== latest.authorId && !present.has(id));
		const rows = this.#subscriptionsOf(members).filter((r) => r.messages === 1);
		if (!rows.length) return 0;
		const detail = this.#rooms.get(latest.authorId, roomId);
		const authorName = detail.members.find((m) => m.userId === latest.authorId)?.name ?? 'Someone';
		const roomName = detail.kind === 'direct' ? authorName : detail.name;
		const payload: PushPayload = { type: 'message', roomId, roomName, authorName, text: latest.text.slice(0, 200), count };
		return this.#send(rows, payload, { ttl: MESSAGE_TTL_SECONDS, urgency: 'normal' });
	}
}

/** Push services replace an undelivered message with the same topic (at most 32 URL-safe characters). */
function topicFor(roomId: string): string {
	return createHash('sha256').update(`call:${roomId}`).digest('base64url').slice(0, 32);
}
