import type { BrowserContext, Page } from '@playwright/test';

/**
 * Delivers push messages to the page's service worker the way a push service would (through
 * Chromium's DevTools protocol), so a test sees the notifications Parley shows for them.
 */
export async function pushDelivery(context: BrowserContext, page: Page, origin: string) {
	const cdp = await context.newCDPSession(page);
	const registration = new Promise<string>((resolve) => {
		cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
			const found = registrations.find((r: { scopeURL: string; isDeleted: boolean }) => r.scopeURL.startsWith(origin) && !r.isDeleted);
			if (found) resolve(found.registrationId);
		});
	});
	await cdp.send('ServiceWorker.enable');
	const registrationId = await registration;
	return { deliver: (payload: unknown) => cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(payload) }) };
}
