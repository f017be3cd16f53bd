import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiFailure } from '../src/lib/server/api-failure.ts';
import { createAuth } from '../src/lib/server/auth.ts';
import type { Config } from '../src/lib/server/config.ts';
import { setContext, type AppContext } from '../src/lib/server/context.ts';
import { DB_FILE, ensureWritableDir, migrate, openDatabase, readMigrations } from '../src/lib/server/db.ts';
import { RoomEvents } from '../src/lib/server/events.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { Push } from '../src/lib/server/push.ts';
import { Rooms } from '../src/lib/server/rooms.ts';
import { loadSecrets } from '../src/lib/server/secrets.ts';
import { createSfuService } from '../sfu/service.ts';
import { createSignalService } from '../signal/service.ts';
import { createSyncService } from '../sync/service.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/** A WebSocket service mounted under a path prefix (`/sync/`, `/peerjs`, `/sfu`). */
export type UpgradeRoute = {
	prefix: string;
	handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
};

export type Parley = {
	context: AppContext;
	upgradeRoutes: UpgradeRoute[];
	/** Closes every WebSocket service (their sockets are outside the HTTP server's connection count). */
	closeSockets(): Promise<void>;
	close(): Promise<void>;
};

/** Opens the data folder, secrets, database and auth; shared by `start` and `vite dev`. */
export function createParley(config: Config): Parley {
	const log = createLogger(config.logLevel);
	ensureWritableDir(config.dataDir);
	const secrets = loadSecrets(config.dataDir, config.secrets);
	const db = openDatabase(join(config.dataDir, DB_FILE));
	const { from, to } = migrate(db, readMigrations(join(ROOT, 'migrations')));
	if (from !== to) log.info('db.migrated', { from, to });
	const auth = createAuth({ db, secret: secrets.authSecret, config, log });
	const events = new RoomEvents();
	const rooms = new Rooms({ db, events, memberLimit: config.roomMemberLimit, createPerHour: config.roomCreateRateLimit });
	const vapid = {
		subject: config.vapidSubject ?? (config.origin?.startsWith('https:') ? config.origin : 'mailto:parley@localhost'),
		publicKey: secrets.vapidPublicKey,
		privateKey: secrets.vapidPrivateKey
	};
	const push = new Push({ db, rooms, events, log, vapid });
	const signal = createSignalService({
		auth,
		rooms,
		events,
		log,
		maxFrameBytes: config.peerjsMaxFrameBytes,
		// Without an SFU the server announces a size limit for calls, and holds to it.
		admit(roomId) {
			const { limit } = sfu.router.announcement(roomId);
			if (limit !== null && sync.callSize(roomId) >= limit) {
				throw new ApiFailure(409, `This call is full: without an SFU on this server, calls can have at most ${limit} people.`);
			}
		}
	});
	const sfu = createSfuService({ config, secrets, auth, log, announce: (roomId) => sync.announce(roomId) });
	const context: AppContext = {
		config,
		db,
		auth,
		log,
		version: VERSION,
		events,
		rooms,
		push,
		issuePeerId: signal.issue,
		sfuJoin: (roomId, userId) => {
			rooms.requireMember(roomId, userId);
			return sfu.join(roomId);
		}
	};
	setContext(context);
	const sync = createSyncService({
		db,
		auth,
		rooms,
		events,
		log,
		origin: config.origin,
		idleMs: config.roomIdleMs,
		onMessages: (roomId, latest, count, present) => void push.messages(roomId, latest, count, present),
		// Joined on one device: the ringing stops on the others.
		onCallJoin: (roomId, userId) => void push.endRing(roomId, [userId]),
		// The server decides each call's topology from its membership and tells the call on awareness.
		onCallSize: (roomId, count) => sfu.router.update(roomId, count),
		serverState: (roomId) => ({ call: sfu.router.announcement(roomId) })
	});
	push.inCall = (roomId) => sync.usersInCall(roomId);
	// Janus starts in the background: chat never waits for it.
	void sfu.start().catch((error) => log.error('sfu.start_failed', { error }));
	return {
		context,
		upgradeRoutes: [sync, signal, sfu],
		async closeSockets() {
			sync.close();
			signal.close();
			await sfu.close();
		},
		async close() {
			await this.closeSockets();
			setContext(undefined);
			db.close();
		}
	};
}
