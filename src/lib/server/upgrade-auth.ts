import type { IncomingMessage } from 'node:http';
import type { Auth } from './auth.ts';
import type { LiveSessions } from './live-sessions.ts';

/** Who opened a WebSocket upgrade, and how to end the connection when that sign-in session ends. */
export type UpgradeIdentity = {
	userId: string;
	sessionId: string;
	/** Watches the session: `end` is called with a reason when it ends. Call the returned function when the socket closes. */
	watch(end: (reason: string) => void): () => void;
};

/** Why an upgrade is refused: another site's page, or nobody signed in. Each service answers in its own way. */
export type UpgradeRefusal = 'cross-site' | 'signed-out';

/** Checks a WebSocket upgrade: the same check for /sync, /peerjs and /sfu. */
export type UpgradeAuth = (req: IncomingMessage) => Promise<UpgradeIdentity | UpgradeRefusal>;

/**
 * Authentication for every WebSocket service: the upgrade must come from Parley's own pages
 * (`origin`, when configured, else the request's host) and carry a live sign-in session.
 */
export function createUpgradeAuth(options: { auth: Auth; liveSessions: LiveSessions; origin: string | undefined }): UpgradeAuth {
	const { auth, liveSessions, origin } = options;
	return async (req) => {
		if (!sameOriginUpgrade(req, origin)) return 'cross-site';
		const session = await auth.api.getSession({ headers: headersOf(req) }).catch(() => null);
		if (!session) return 'signed-out';
		const userId = session.user.id;
		const sessionId = session.session.id;
		return { userId, sessionId, watch: (end) => liveSessions.add({ sessionId, userId, end }) };
	};
}

/** A Node request's headers as Fetch Headers (what better-auth reads the session from). */
export function headersOf(req: IncomingMessage): Headers {
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		if (Array.isArray(value)) for (const v of value) headers.append(name, v);
		else if (value !== undefined) headers.set(name, value);
	}
	return headers;
}

/**
 * Whether a WebSocket upgrade comes from Parley's own pages: browsers always send Origin, so a
 * foreign one means another site is using the visitor's cookies. (Clients that are not browsers
 * send none.) Checked against the configured public origin, or else the request's own host.
 */
export function sameOriginUpgrade(req: IncomingMessage, origin: string | undefined): boolean {
	const from = req.headers.origin;
	if (!from) return true;
	const host = req.headers.host;
	const expected = origin ? [origin] : host ? [`http://${host}`, `https://${host}`] : [];
	return expected.includes(from);
}
