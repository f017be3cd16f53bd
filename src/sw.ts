/// <reference lib="webworker" />
// Parley's service worker: the app shell is precached, pages and their data are network-first
// with the last copy as fallback, so every page seen once opens again with no network.
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setCatchHandler } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: { url: string; revision: string | null }[] };

const NETWORK_TIMEOUT_SECONDS = 4;
// Only real pages: never a redirect (e.g. to sign-in) or an error in place of a page.
const onlyOk = [new CacheableResponsePlugin({ statuses: [200] })];

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// On first install, look after the open page at once (updates still wait for the person to agree).
clientsClaim();

const pages = new NetworkFirst({ cacheName: 'parley-pages', networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: onlyOk, matchOptions: { ignoreVary: true } });
registerRoute(new NavigationRoute(pages));
// The app asks for a page it reached by in-app navigation to be kept, so it reloads offline too.
registerRoute(({ request, url }) => url.origin === self.location.origin && request.headers.get('x-parley-keep') === '1', pages);
registerRoute(
	({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && url.pathname.endsWith('/__data.json'),
	new NetworkFirst({ cacheName: 'parley-data', networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: onlyOk })
);

// A page never seen before, with no network: a friendly offline page instead of the browser's error.
setCatchHandler(async ({ request }) => {
	if (request.destination === 'document') {
		const offline = await caches.match('/offline.html', { ignoreSearch: true });
		if (offline) return offline;
	}
	return Response.error();
});

self.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
