import type { DatabaseSync } from 'node:sqlite';
import type { SfuTicket } from '../core/call/presence.ts';
import type { Admin } from './admin.ts';
import type { Auth } from './auth.ts';
import type { Avatars } from './avatars.ts';
import type { Config } from './config.ts';
import type { Files } from './files/files.ts';
import type { AccountSessions } from './account-sessions.ts';
import type { RoomEvents } from './events.ts';
import type { LiveSessions } from './live-sessions.ts';
import type { Logger } from './log.ts';
import type { MessageSearch } from './message-search.ts';
import type { Metrics } from './metrics.ts';
import type { Push } from './push.ts';
import type { Rooms } from './rooms.ts';
import type { SignInBackoff } from './signin-backoff.ts';
import type { Signups } from './signups.ts';
import type { UserSearch } from './user-search.ts';

/** What the server process builds once at start and every request handler shares. */
export type AppContext = {
	config: Config;
	db: DatabaseSync;
	auth: Auth;
	log: Logger;
	version: string;
	events: RoomEvents;
	/** The person's signed-in devices, for the account page. */
	accountSessions: AccountSessions;
	/** Ends WebSockets and event streams whose sign-in session ended. */
	liveSessions: LiveSessions;
	rooms: Rooms;
	/** People's pictures. */
	avatars: Avatars;
	/** Files posted to rooms (upload, read, remove). */
	files: Files;
	push: Push;
	/** Figures for /metrics; the event streams count themselves. */
	metrics: Metrics;
	/** Failed sign-ins per account, with a growing wait (hooks.server.ts). */
	signInBackoff: SignInBackoff;
	/** Who may sign up; admin sign-up links; who is an administrator or disabled. */
	signups: Signups;
	/** The instance administrator's actions (/admin). */
	admin: Admin;
	/** Whether reset-password mails can be sent (SMTP_URL). */
	mailEnabled: boolean;
	/** The SFU's state for the admin page (sfu/service.ts), with Janus restarts. */
	sfuState(): Promise<{ mode: 'off' | 'external' | 'child' | 'not-installed'; available: boolean; pid: number | undefined; connections: number; restarts: number }>;
	/** People search, with lookups by email limited per person. */
	userSearch: UserSearch;
	/** Full-text search of messages in the person's rooms. */
	messageSearch: MessageSearch;
	/** A single-use PeerJS id for this person in this room's call (signal/service.ts). */
	issuePeerId(roomId: string, userId: string): string;
	/** A single-use ticket for a member in the call to open its videoroom through /sfu, when the call is on the SFU (sfu/service.ts). */
	sfuJoin(roomId: string, userId: string): Promise<SfuTicket>;
};

// The SvelteKit bundle and the server entry each load their own copy of this module,
// so the one instance lives on globalThis under a registered symbol.
const KEY = Symbol.for('parley.context');
type Holder = { [KEY]?: AppContext };

export function setContext(context: AppContext | undefined): void {
	(globalThis as Holder)[KEY] = context;
}

export function getContext(): AppContext {
	const context = (globalThis as Holder)[KEY];
	if (!context) throw new Error('Parley is not initialised: start it with `npm start` or `npm run dev`, which run server/app.ts first');
	return context;
}
