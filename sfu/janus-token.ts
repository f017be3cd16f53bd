import { createHmac } from 'node:crypto';

export const VIDEOROOM = 'janus.plugin.videoroom';

function sign(secret: string, parts: (string | number)[]): string {
	const data = parts.join(',');
	return `${data}:${createHmac('sha1', secret).update(data).digest('base64')}`;
}

const expiry = (now: number, ttlSeconds: number) => Math.floor(now / 1000) + ttlSeconds;

/**
 * A Janus signed token (token_auth_secret): "<expiry>,janus,<plugin>[,<plugin>]:<signature>",
 * the signature being base64 HMAC-SHA1 of the part before the colon. Janus checks it on every
 * request of the session, so it must outlive the call; access to a room is granted separately,
 * by `signJanusRoomToken`.
 */
export function signJanusToken(secret: string, ttlSeconds: number, now = Date.now(), plugins: string[] = [VIDEOROOM]): string {
	return sign(secret, [expiry(now, ttlSeconds), 'janus', ...plugins]);
}

/**
 * A short-lived token to join one videoroom (created with `signed_tokens: true`):
 * "<expiry>,janus.plugin.videoroom,room=<id>:<signature>". Janus refuses it for any other room
 * and after `ttlSeconds`.
 */
export function signJanusRoomToken(secret: string, room: number, ttlSeconds: number, now = Date.now()): string {
	return sign(secret, [expiry(now, ttlSeconds), VIDEOROOM, `room=${room}`]);
}
