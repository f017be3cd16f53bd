import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccountDeletion } from '../src/lib/server/account-deletion.ts';
import { AccountSessions } from '../src/lib/server/account-sessions.ts';
import { Admin } from '../src/lib/server/admin.ts';
import { Avatars } from '../src/lib/server/avatars.ts';
import { createAuth } from '../src/lib/server/auth.ts';
import { createMailer } from '../src/lib/server/mail.ts';
import { Signups } from '../src/lib/server/signups.ts';
import type { Config } from '../src/lib/server/config.ts';
import { setContext, type AppContext } from '../src/lib/server/context.ts';
import { DB_FILE, ensureWritableDir, migrate, openDatabase, readMigrations } from '../src/lib/server/db.ts';
import { RoomEvents } from '../src/lib/server/events.ts';
import { LiveSessions } from '../src/lib/server/live-sessions.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { createMetrics } from '../src/lib/server/metrics.ts';
import { Push } from '../src/lib/server/push.ts';
import { RoomAccess } from '../src/lib/server/room-access.ts';
import { Rooms } from '../src/lib/server/rooms.ts';
import { Files } from '../src/lib/server/files/files.ts';
import { FsStorage } from '../src/lib/server/files/storage.ts';
import { loadSecrets } from '../src/lib/server/secrets.ts';
import { SignInBackoff } from '../src/lib/server/signin-backoff.ts';
import { createUpgradeAuth } from '../src/lib/server/upgrade-auth.ts';
import { MessageSearch } from '../src/lib/server/message-search.ts';
import { UserSearch } from '../src/lib/server/user-search.ts';
import { createSfuService, type SfuService } from '../sfu/service.ts';
import { createSignalService, type SignalService } from '../signal/service.ts';
import { splitSingleDocumentRooms } from '../sync/history-split.ts';
import { createSyncService, type SyncService } from '../sync/service.ts';
import type { UpgradeRoute } from './upgrade.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

export type Parley = {
	context: AppContext;
	sync: SyncService;
	signal: SignalService;
	sfu: SfuService;
	/** The WebSocket services, for `routeUpgrade`. */
	upgradeRoutes: UpgradeRoute[];
	/** Closes every WebSocket service (their sockets are outside the HTTP server's connection count). */
	closeSockets(): Promise<void>;
	close(): Promise<void>;
};

/** Opens the data folder, secrets, database and auth; shared by `start` and `vite dev`. */
export function createParley(config: Config, options: { writeLog?: (line: string) => void } = {}): Parley {
	const log = createLogger(config.logLevel, options.writeLog);
	const metrics = createMetrics();
	ensureWritableDir(config.dataDir);
	const secrets = loadSecrets(config.dataDir, config.secrets);
	const db = openDatabase(join(config.dataDir, DB_FILE));
	const { from, to } = migrate(db, readMigrations(join(ROOT, 'migrations')));
	if (from !== to) log.info('db.migrated', { from, to, note: `migrated from ${from} to ${to}` });
	// Rooms from before monthly history are split now, before anyone syncs (once; resumed if stopped).
	splitSingleDocumentRooms(db, log);
	const signups = new Signups(db, config.signups);
	const mailer = config.mail && createMailer({ ...config.mail, log });
	const events = new RoomEvents();
	const liveSessions = new LiveSessions({ db, log, intervalMs: config.sessionCheckMs });
	// Files reads membership through its own RoomAccess, so that Rooms can be given Files (a deleted room's bytes go).
	const files = new Files({ db, rooms: new RoomAccess({ db, events, memberLimit: config.roomMemberLimit }), storage: new FsStorage(join(config.dataDir, 'files')), log, dataDir: config.dataDir, ...config.files });
	const rooms = new Rooms({ db, events, memberLimit: config.roomMemberLimit, createPerHour: config.roomCreateRateLimit, files });
	const accountDeletion = new AccountDeletion({ db, events, files, isLastAdmin: (userId) => signups.isLastAdmin(userId) });
	const account = { beforeDelete: (userId: string) => accountDeletion.prepare(userId), renamed: (userId: string) => rooms.renamedPerson(userId) };
	const auth = createAuth({ db, secret: secrets.authSecret, config, log, signups, mailer, account });
	const admin = new Admin({ db, auth, events, liveSessions, signups, files, config });
	const vapid = {
		subject: config.vapidSubject ?? (config.origin?.startsWith('https:') ? config.origin : 'mailto:parley@localhost'),
		publicKey: secrets.vapidPublicKey,
		privateKey: secrets.vapidPrivateKey
	};
	const authenticate = createUpgradeAuth({ auth, liveSessions, origin: config.origin });
	// The SFU service holds the call policy (sfu/call-router.ts): ringing, admission and sync read it.
	const sfu = createSfuService({ config, secrets, authenticate, rooms, events, log, metrics });
	const { allowPrivateEndpoints, ...pushLimits } = config.push;
	const push = new Push({ db, rooms, events, log, metrics, vapid, limits: pushLimits, allowPrivateEndpoints, inCall: (roomId) => sfu.router.usersInCall(roomId) });
	if (allowPrivateEndpoints) log.warn('push.private_endpoints_allowed', { note: 'PUSH_ALLOW_PRIVATE_ENDPOINTS is for tests and development only' });
	// A call that started or ended is in its room's timeline: the room's pages show it (calls that were going on when
	// the server stopped ended then, as nobody is in them now).
	rooms.timeline.endAbandonedCalls();
	const calls: Pick<typeof sfu.router, 'update' | 'announcement' | 'onAnnounce'> & { moderated: typeof sfu.moderated } = {
		update(roomId, members) {
			sfu.router.update(roomId, members);
			if (rooms.timeline.callChanged(roomId, members.users)) events.emit({ roomId, kind: 'timeline', notify: rooms.memberIds(roomId), revoked: [] });
		},
		announcement: (roomId) => sfu.router.announcement(roomId),
		onAnnounce: (listener) => sfu.router.onAnnounce(listener),
		// Owners' and admins' lock and removals: the SFU refuses and kicks by them.
		moderated: (roomId, moderation) => sfu.moderated(roomId, moderation)
	};
	const sync = createSyncService({
		db,
		authenticate,
		rooms,
		events,
		log,
		metrics,
		limits: config.sync,
		calls,
		idleMs: config.roomIdleMs,
		heartbeatMs: config.syncHeartbeatMs,
		onMessages: (roomId, added, present) => void push.messages(roomId, added, present),
		// Joined on one device: the ringing stops on the others.
		onCallJoin: (roomId, userId) => void push.endRing(roomId, [userId]),
		// A deleted message takes its files with it (their bytes stay while another file uses them).
		onMessagesRemoved: (roomId, keys) => {
			for (const key of keys) files.release(roomId, key).catch((error: unknown) => log.error('files.release_failed', { roomId, messageKey: key, error }));
		}
	});
	const signal = createSignalService({
		authenticate,
		rooms,
		events,
		log,
		metrics,
		maxFrameBytes: config.peerjsMaxFrameBytes,
		admit: (roomId) => sfu.router.admit(roomId)
	});
	const context: AppContext = {
		config,
		db,
		auth,
		log,
		version: VERSION,
		events,
		liveSessions,
		accountSessions: new AccountSessions({ db, auth }),
		rooms,
		avatars: new Avatars({ db, changesPerHour: config.avatarChangesPerHour }),
		files,
		push,
		metrics,
		signInBackoff: new SignInBackoff(config.signInAccount),
		signups,
		admin,
		mailEnabled: mailer !== undefined,
		sfuState: async () => ({ ...sfu.state(), restarts: (await metrics.janusRestarts.get()).values.reduce((sum, v) => sum + v.value, 0) }),
		userSearch: new UserSearch(rooms, config.emailLookupsPerHour),
		messageSearch: new MessageSearch(db, config.search),
		issuePeerId: signal.issue,
		sfuJoin: sfu.join
	};
	setContext(context);
	// Leftovers of uploads cut off by a stop, and uploads no message took, go now and every hour.
	void files.start().catch((error) => log.error('files.start_failed', { error }));
	// Janus starts in the background: chat never waits for it.
	void sfu.start().catch((error) => log.error('sfu.start_failed', { error }));
	return {
		context,
		sync,
		signal,
		sfu,
		upgradeRoutes: [sync, signal, sfu],
		async closeSockets() {
			liveSessions.close();
			files.stop();
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
