import { createHmac } from 'node:crypto';

export const VIDEOROOM = 'janus.plugin.videoroom';

/**
 * A Janus signed token (token_auth_secret): "<expiry>,janus,<plugin>[,<plugin>]:<signature>",
 * the signature being base64 HMAC-SHA1 of the part before the colon. Short-lived: a browser
 * gets one when it is told to join the SFU, and Janus refuses it after `ttlSeconds`.
 */
export function signJanusToken(secret: string, ttlSeconds: number, now = Date.now(), plugins: string[] = [VIDEOROOM]): string {
	const data = [Math.floor(now / 1000) + ttlSeconds, 'janus', ...plugins].join(',');
	return `${data}:${createHmac('sha1', secret).update(data).digest('base64')}`;
}
