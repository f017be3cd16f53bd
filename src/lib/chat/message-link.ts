/**
 * Links to one message in its room: `/rooms/<id>#message=<key>`. A hash, not a query: the page and
 * its data stay the ones the service worker keeps for offline, and a jump within a room loads nothing.
 */
const PREFIX = '#message=';

export function messageLink(roomId: string, key: string): string {
	return `/rooms/${encodeURIComponent(roomId)}${PREFIX}${encodeURIComponent(key)}`;
}

/** The message key a page's hash points at, if it does. */
export function linkedMessage(hash: string): string | undefined {
	if (!hash.startsWith(PREFIX)) return undefined;
	try {
		return decodeURIComponent(hash.slice(PREFIX.length)) || undefined;
	} catch {
		return undefined;
	}
}

/**
 * How many of the newest messages the timeline must show for `key` to be among them; undefined
 * while the room's chat does not have it (yet). `shown` is how many it shows now.
 */
export function shownToReach(keys: readonly { key: string }[], key: string, shown: number): number | undefined {
	const index = keys.findIndex((message) => message.key === key);
	if (index < 0) return undefined;
	return Math.max(shown, keys.length - index);
}
