import type { SearchHit } from './schemas.ts';

/**
 * The newest `limit` of both answers, each message once. The device's copy wins: it may hold an
 * edit the server has not seen yet. Each side gave its newest matches, so the newest of the union are here.
 */
export function mergeHits(device: readonly SearchHit[], server: readonly SearchHit[], limit: number): SearchHit[] {
	const byMessage = new Map<string, SearchHit>();
	for (const hit of server) byMessage.set(`${hit.roomId} ${hit.key}`, hit);
	for (const hit of device) {
		const id = `${hit.roomId} ${hit.key}`;
		const known = byMessage.get(id);
		// Names the device does not know, the server does.
		byMessage.set(id, known ? { ...hit, roomName: hit.roomName || known.roomName, authorName: hit.authorName || known.authorName } : hit);
	}
	return [...byMessage.values()].sort((a, b) => b.createdAt - a.createdAt || (a.key < b.key ? 1 : -1)).slice(0, limit);
}
