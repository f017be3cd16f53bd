import type { IncomingMessage } from 'node:http';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import type { Auth } from '../src/lib/server/auth.ts';
import type { Config } from '../src/lib/server/config.ts';
import type { Logger } from '../src/lib/server/log.ts';
import type { Secrets } from '../src/lib/server/secrets.ts';
import { refuseUpgrade } from '../server/upgrade.ts';
import { headersOf, sameOriginUpgrade } from '../server/http.ts';
import { defaultInterface, writeJanusConfig } from './janus-config.ts';
import { janusInstalled, JanusProcess } from './janus-process.ts';
import { freePort } from '../server/free-port.ts';
import { ApiFailure } from '../src/lib/server/api-failure.ts';
import { CallRouter } from './call-router.ts';
import { JanusRooms } from './janus-rooms.ts';
import { signJanusRoomToken, signJanusToken } from './janus-token.ts';

export const SFU_PREFIX = '/sfu';
/** A room token is for joining now: it is fetched right before each join. */
const ROOM_TOKEN_TTL_S = 60;
/** Janus checks the session token on every request, so it lasts as long as a long call. */
const SESSION_TOKEN_TTL_S = 12 * 3600;

/** What a browser needs to join its call's videoroom. */
export type SfuJoin = { janusRoom: number; token: string; roomToken: string };
const PLUGINS = '/usr/lib/x86_64-linux-gnu/janus/plugins';
const TRANSPORTS = '/usr/lib/x86_64-linux-gnu/janus/transports';

/**
 * The SFU side of Parley: runs Janus as a child process when it is installed (or uses an
 * external Janus), and is the only way browsers reach it: `/sfu` is a WebSocket proxy to Janus'
 * API that checks the session first. Janus itself listens on 127.0.0.1 and also checks its
 * own signed tokens.
 */
export function createSfuService(options: { config: Config; secrets: Secrets; auth: Auth; log: Logger; announce: (roomId: string) => void }) {
	const { config, secrets, auth, log } = options;
	const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('janus-protocol') ? 'janus-protocol' : false) });
	let janus: JanusProcess | null = null;
	let url: string | undefined = config.sfu.externalUrl;
	const dir = join(config.dataDir, 'janus');
	const pidFile = join(dir, 'janus.pid');
	const rooms = new JanusRooms({ url: () => url, adminKey: secrets.janusAdminKey, tokenSecret: secrets.janusTokenSecret, log });
	const router = new CallRouter({ rooms, available: () => url !== undefined, announce: options.announce, publishers: config.roomMemberLimit, log });

	async function start(): Promise<void> {
		if (config.sfu.mode === 'off' || url || !janusInstalled()) {
			log.info('sfu.mode', { mode: config.sfu.mode === 'off' ? 'off' : url ? 'external' : 'not installed' });
			return;
		}
		// A Janus left behind by a crashed Parley would hold the ports: stop it first.
		if (existsSync(pidFile)) {
			try {
				process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
			} catch {
				// already gone
			}
			rmSync(pidFile, { force: true });
		}
		const wsPort = await freePort();
		writeJanusConfig({
			dir,
			wsPort,
			rtpPortRange: config.sfu.rtpPorts,
			adminKey: secrets.janusAdminKey,
			tokenAuthSecret: secrets.janusTokenSecret,
			iface: config.sfu.iface ?? defaultInterface(),
			natPublicIp: config.sfu.publicIp,
			pluginsFolder: PLUGINS,
			transportsFolder: TRANSPORTS
		});
		janus = new JanusProcess({ configDir: dir, wsPort, tokenSecret: secrets.janusTokenSecret, log });
		let first = true;
		janus.onReady = () => {
			if (janus?.pid) writeFileSync(pidFile, String(janus.pid));
			// After a restart Janus has no rooms: calls on the SFU get new ones and their people rejoin.
			if (!first) router.sfuRestarted();
			first = false;
		};
		url = janus.url;
		await janus.start();
	}

	return {
		prefix: SFU_PREFIX,
		start,
		/** Whether calls can move to the SFU. */
		available: () => url !== undefined,
		router,
		/** Tokens for one person to join the videoroom of a call on the SFU (membership is checked by the caller). */
		join(roomId: string): SfuJoin {
			const room = router.janusRoom(roomId);
			if (!room) throw new ApiFailure(409, 'This call is not on the SFU right now.');
			return {
				janusRoom: room.id,
				token: signJanusToken(secrets.janusTokenSecret, SESSION_TOKEN_TTL_S),
				roomToken: signJanusRoomToken(secrets.janusTokenSecret, room.id, ROOM_TOKEN_TTL_S)
			};
		},
		async handle(req: IncomingMessage, socket: Duplex, head: Buffer) {
			if (!sameOriginUpgrade(req, config.origin)) return refuseUpgrade(socket, 403, 'Forbidden', 'Cross-site connection refused');
			const session = await auth.api.getSession({ headers: headersOf(req) }).catch(() => null);
			if (!session) return refuseUpgrade(socket, 401, 'Unauthorized', 'Sign in to join calls');
			if (!url) return refuseUpgrade(socket, 503, 'Service Unavailable', 'This Parley has no SFU; calls stay peer-to-peer');
			const upstream = new WebSocket(url, 'janus-protocol');
			let opened = false;
			upstream.on('error', (error) => {
				if (!opened) refuseUpgrade(socket, 502, 'Bad Gateway', 'The SFU is not answering; try again in a moment');
				else log.warn('sfu.upstream_error', { error: error.message });
			});
			upstream.once('open', () => {
				opened = true;
				wss.handleUpgrade(req, socket, head, (client) => {
					log.info('sfu.connected', { userId: session.user.id });
					client.on('message', (data, isBinary) => upstream.readyState === upstream.OPEN && upstream.send(data, { binary: isBinary }));
					upstream.on('message', (data, isBinary) => client.readyState === client.OPEN && client.send(data, { binary: isBinary }));
					client.on('close', () => upstream.close());
					upstream.on('close', () => client.close(1012, 'SFU restarting'));
					client.on('error', () => upstream.close());
				});
			});
		},
		async close() {
			for (const client of wss.clients) client.close(1001, 'Server shutting down');
			wss.close();
			await router.close();
			rooms.close();
			await janus?.stop();
			rmSync(pidFile, { force: true });
		}
	};
}
