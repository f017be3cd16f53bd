/**
 * The device's cache of files a person has opened (GET /api/files/<id> and its thumbnail): the bytes
 * in Cache Storage, each entry's size and last use in IndexedDB, bounded by FILE_CACHE_MAX_BYTES with
 * the least recently used leaving first. Used by the service worker, and by Settings to show and clear it.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { evictions, FILE_CACHE_MAX_BYTES, fitsCache, usedBytes, type CachedFile } from './file-cache-policy.ts';

export const FILE_CACHE_NAME = 'parley-files';

interface FileCacheDB extends DBSchema {
	entries: { key: string; value: CachedFile };
}

let database: Promise<IDBPDatabase<FileCacheDB>> | undefined;
const index = () => (database ??= openDB<FileCacheDB>('parley-file-cache', 1, { upgrade: (db) => db.createObjectStore('entries', { keyPath: 'url' }) }));

/** Whether a same-origin URL is one of a file's (/api/files/<id>, /api/files/<id>/thumbnail) or a person's picture (/api/users/<id>/avatar): kept for offline alike. */
export function isFileUrl(url: URL): boolean {
	return /^\/api\/files\/[^/]+(\/thumbnail)?$/.test(url.pathname) || /^\/api\/users\/[^/]+\/avatar$/.test(url.pathname);
}

/** The cached copy of a file, if the device has one. */
export async function cachedFile(url: string): Promise<Response | undefined> {
	return (await caches.open(FILE_CACHE_NAME)).match(url);
}

/** Keeps a 200 answer and returns an equal one to hand on (the body can only be read once). */
export async function storeFile(url: string, response: Response, maxBytes = FILE_CACHE_MAX_BYTES): Promise<Response> {
	const body = await response.blob();
	const copy = () => new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
	if (!fitsCache(body.size, maxBytes)) return copy();
	await (await caches.open(FILE_CACHE_NAME)).put(url, copy());
	await (await index()).put('entries', { url, size: body.size, lastUsed: Date.now() });
	await enforceBound(maxBytes);
	return copy();
}

/** Marks a cached file as just used, so it is the last to leave. */
export async function touchFile(url: string): Promise<void> {
	const db = await index();
	const entry = await db.get('entries', url);
	if (entry) await db.put('entries', { ...entry, lastUsed: Date.now() });
}

/** Forgets a file: the server no longer gives it to this person. */
export async function dropFile(url: string): Promise<void> {
	await (await caches.open(FILE_CACHE_NAME)).delete(url);
	await (await index()).delete('entries', url);
}

/** Deletes the least recently used files until the rest fit. */
async function enforceBound(maxBytes: number): Promise<void> {
	const db = await index();
	for (const url of evictions(await db.getAll('entries'), maxBytes)) await dropFile(url);
}

/** Bytes the cached files take on this device. */
export async function fileCacheUsage(): Promise<number> {
	return usedBytes(await (await index()).getAll('entries'));
}

/** Deletes every cached file (Settings' Clear). */
export async function clearFileCache(): Promise<void> {
	await caches.delete(FILE_CACHE_NAME);
	await (await index()).clear('entries');
}
