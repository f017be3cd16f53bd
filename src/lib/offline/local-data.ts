import { FILE_CACHE_NAME } from '../files/file-cache.ts';

/** Caches and room documents kept on this device; removed at sign-out so the next person sees nothing of them (files too). */
export const PAGE_CACHES = ['parley-pages', 'parley-data', FILE_CACHE_NAME];

export async function forgetLocalData(): Promise<void> {
	if ('caches' in globalThis) await Promise.all(PAGE_CACHES.map((name) => caches.delete(name)));
	if ('indexedDB' in globalThis && indexedDB.databases) {
		const databases = await indexedDB.databases();
		await Promise.all(
			databases
				.filter((db) => db.name?.startsWith('parley-'))
				.map(
					(db) =>
						new Promise<void>((resolve) => {
							const request = indexedDB.deleteDatabase(db.name!);
							request.onsuccess = request.onerror = request.onblocked = () => resolve();
						})
				)
		);
	}
	for (const key of Object.keys(localStorage)) if (key.startsWith('parley:')) localStorage.removeItem(key);
}

/**
 * Asks the service worker to fetch (and so cache) a page as a document. Pages reached by
 * in-app navigation are loaded as data only; this is what lets them reload offline later.
 */
export function keepPageForOffline(url: string): void {
	if (!navigator.serviceWorker?.controller || !navigator.onLine) return;
	void fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html', 'x-parley-keep': '1' }, priority: 'low' } as RequestInit).catch(() => {});
}
