/// <reference lib="webworker" />
// Parley's service worker: the app shell is precached, pages and their data are network-first
// with the last copy as fallback, so every page seen once opens again with no network.
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setCatchHandler } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { isFileUrl } from './lib/files/file-cache.ts';
import { answerFileRequest } from './lib/files/file-strategy.ts';
import { callTag, roomTag, type PushPayload } from './lib/push/schemas.ts';
import { BASE_LOCALE, isLocale, LOCALE_COOKIE, matchLocale, type Locale } from './lib/i18n/locale.ts';
import { m } from './lib/paraglide/messages.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: { url: string; revision: string | null }[] };

const NETWORK_TIMEOUT_SECONDS = 4;
// Only real pages: never a redirect (e.g. to sign-in) or an error in place of a page.
const onlyOk = [new CacheableResponsePlugin({ statuses: [200] })];

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// On first install, look after the open page at once (updates still wait for the person to agree).
clientsClaim();

const pages = new NetworkFirst({ cacheName: 'parley-pages', networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: onlyOk, matchOptions: { ignoreVary: true } });
// Not the API: a file opened in its own tab is a navigation too, and is kept by the files' route below.
registerRoute(new NavigationRoute(pages, { denylist: [/^\/api\//] }));
// The app asks for a page it reached by in-app navigation to be kept, so it reloads offline too.
registerRoute(({ request, url }) => url.origin === self.location.origin && request.headers.get('x-parley-keep') === '1', pages);
registerRoute(
	({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && url.pathname.endsWith('/__data.json'),
	new NetworkFirst({ cacheName: 'parley-data', networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS, plugins: onlyOk })
);
// Files and thumbnails a person has opened: kept within a byte bound, revalidated whenever online.
registerRoute(({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && isFileUrl(url), ({ request }) => answerFileRequest(request));

/** This device's language: the choice made in Settings (its cookie, where the worker can read it), else the browser's. */
async function deviceLocale(): Promise<Locale> {
	const store = (self as { cookieStore?: { get(name: string): Promise<{ value: string } | null> } }).cookieStore;
	const chosen = await store?.get(LOCALE_COOKIE).catch(() => null);
	if (isLocale(chosen?.value)) return chosen.value;
	return matchLocale(self.navigator.languages ?? []) ?? BASE_LOCALE;
}

// A page never seen before, with no network: a friendly offline page instead of the browser's error.
setCatchHandler(async ({ request }) => {
	if (request.destination === 'document') {
		const locale = await deviceLocale();
		const offline = await caches.match(locale === BASE_LOCALE ? '/offline.html' : `/offline.${locale}.html`, { ignoreSearch: true });
		if (offline) return offline;
	}
	return Response.error();
});

self.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Push: a ring for a call, the end of one, or (when turned on) new messages in a room.
self.addEventListener('push', (event) => {
	let payload: PushPayload;
	try {
		payload = event.data?.json() as PushPayload;
	} catch {
		return;
	}
	event.waitUntil(showPush(payload));
});

async function showPush(payload: PushPayload): Promise<void> {
	const locale = isLocale(payload.locale) ? payload.locale : await deviceLocale();
	if (payload.type === 'ring') {
		await self.registration.showNotification(m.ring_calling({ name: payload.callerName }, { locale }), {
			lang: locale,
			body: payload.roomName,
			tag: callTag(payload.roomId),
			requireInteraction: true,
			icon: '/icon-192.png',
			badge: '/icon-192.png',
			data: { roomId: payload.roomId, kind: 'ring' },
			actions: [
				{ action: 'join', title: m.ring_join({}, { locale }) },
				{ action: 'decline', title: m.ring_decline({}, { locale }) }
			]
		} as NotificationOptions);
	} else if (payload.type === 'ring-end') {
		for (const notification of await self.registration.getNotifications({ tag: callTag(payload.roomId) })) notification.close();
	} else if (payload.type === 'message') {
		// One notification per room: a newer message replaces the older one.
		await self.registration.showNotification(payload.roomName, {
			lang: locale,
			body: payload.mention
				? m.push_mention({ name: payload.authorName, text: payload.text }, { locale })
				: payload.count > 1
					? m.push_messages({ name: payload.authorName, text: payload.text, count: payload.count - 1 }, { locale })
					: m.push_message({ name: payload.authorName, text: payload.text }, { locale }),
			tag: roomTag(payload.roomId),
			icon: '/icon-192.png',
			data: { roomId: payload.roomId, kind: 'message' }
		});
	}
}

self.addEventListener('notificationclick', (event) => {
	const { roomId, kind } = (event.notification.data ?? {}) as { roomId?: string; kind?: string };
	event.notification.close();
	if (!roomId) return;
	if (event.action === 'decline') {
		event.waitUntil(fetch(`/api/rooms/${encodeURIComponent(roomId)}/ring/decline`, { method: 'POST', credentials: 'same-origin' }).then(() => undefined, () => undefined));
		return;
	}
	const url = `/rooms/${encodeURIComponent(roomId)}${kind === 'ring' ? '?call=join' : ''}`;
	event.waitUntil(openOrFocus(url));
});

/** Focuses a Parley window (moving it to the room) or opens one. */
async function openOrFocus(url: string): Promise<void> {
	const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
	const existing = windows.find((w) => new URL(w.url).origin === self.location.origin);
	if (existing) {
		await existing.focus();
		await existing.navigate(url).catch(() => existing.postMessage({ type: 'navigate', url }));
		return;
	}
	await self.clients.openWindow(url);
}
