/**
 * Which files the device keeps: the cache of files a person has opened is bounded in bytes, and
 * the files used longest ago leave first (least recently used). Pure, so the service worker and
 * its tests share it.
 */

/** 200 MB: said in Settings; enough for a few hundred photos, small beside a phone's storage. */
export const FILE_CACHE_MAX_BYTES = 200 * 1024 * 1024;

/** What the device remembers about one cached file. */
export interface CachedFile {
	/** The cache key: the file's URL (full or thumbnail). */
	url: string;
	size: number;
	/** When it was last stored or served, in ms since the epoch. */
	lastUsed: number;
}

/** Whether a file of `size` bytes may be kept at all: one bigger than the whole bound is never cached. */
export function fitsCache(size: number, maxBytes = FILE_CACHE_MAX_BYTES): boolean {
	return size <= maxBytes;
}

/** The URLs to delete so that the rest fit in `maxBytes`: least recently used first, as few as needed. */
export function evictions(entries: readonly CachedFile[], maxBytes = FILE_CACHE_MAX_BYTES): string[] {
	let total = usedBytes(entries);
	if (total <= maxBytes) return [];
	const oldestFirst = [...entries].sort((a, b) => a.lastUsed - b.lastUsed || a.url.localeCompare(b.url));
	const out: string[] = [];
	for (const entry of oldestFirst) {
		if (total <= maxBytes) break;
		out.push(entry.url);
		total -= entry.size;
	}
	return out;
}

/** Bytes the cached files take. */
export function usedBytes(entries: readonly CachedFile[]): number {
	return entries.reduce((sum, entry) => sum + entry.size, 0);
}

/** Statuses after which the cached copy goes: the server no longer gives this person the file. */
const REFUSED = new Set([401, 403, 404, 410]);

/**
 * What to answer with, given the network's outcome: `network` (a status, or 'offline' when the fetch
 * failed) and whether a cached copy exists. Online, a refusal is final and drops the copy; only when
 * the server cannot answer at all (offline, or a 5xx from it or a proxy) does the cached copy stand in.
 */
export function fileCacheDecision(network: number | 'offline', hasCached: boolean): { answer: 'network' | 'cached'; store: boolean; drop: boolean } {
	if (network === 'offline' || network >= 500) return { answer: hasCached ? 'cached' : 'network', store: false, drop: false };
	if (network === 304) return hasCached ? { answer: 'cached', store: false, drop: false } : { answer: 'network', store: false, drop: false };
	if (network === 200) return { answer: 'network', store: true, drop: false };
	return { answer: 'network', store: false, drop: REFUSED.has(network) && hasCached };
}
