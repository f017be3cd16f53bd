import { createHmac } from 'node:crypto';

export type IceServer = { urls: string[]; username?: string; credential?: string };
export type IceConfig = { stunUrls: string[]; turnUrls: string[]; turnSecret?: string; turnTtlSeconds: number };

/**
 * ICE servers for one person: STUN as configured, and TURN with time-limited credentials
 * for coturn's `use-auth-secret` (username `<expiry>:<userId>`, password base64 HMAC-SHA1).
 */
export function iceServersFor(userId: string, config: IceConfig, now = Date.now()): IceServer[] {
	const servers: IceServer[] = [];
	if (config.stunUrls.length) servers.push({ urls: config.stunUrls });
	if (config.turnUrls.length && config.turnSecret) {
		const username = `${Math.floor(now / 1000) + config.turnTtlSeconds}:${userId}`;
		const credential = createHmac('sha1', config.turnSecret).update(username).digest('base64');
		servers.push({ urls: config.turnUrls, username, credential });
	}
	return servers;
}
