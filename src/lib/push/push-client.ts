import { apiCall } from '#lib/rooms/api-client.ts';
import { m } from '#lib/paraglide/messages.js';

/** How long to wait for the browser's push service before saying it did not answer (it can hang). */
const SUBSCRIBE_TIMEOUT_MS = 15_000;
const PREFERENCE_KEY = 'parley:push';

export type PushPreference = { enabled: boolean; messages: boolean };

export function pushSupported(): boolean {
	return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

export function readPreference(): PushPreference {
	try {
		return { enabled: false, messages: false, ...JSON.parse(localStorage.getItem(PREFERENCE_KEY) ?? '{}') };
	} catch {
		return { enabled: false, messages: false };
	}
}

function savePreference(preference: PushPreference) {
	localStorage.setItem(PREFERENCE_KEY, JSON.stringify(preference));
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
	return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), ms))]);
}

/** Asks for permission (call only from a click), subscribes this browser and registers it with the server. */
export async function enablePush(messages: boolean): Promise<{ ok: true } | { ok: false; error: string }> {
	if (!pushSupported()) return { ok: false, error: m.settings_notifications_unsupported() };
	const permission = await Notification.requestPermission();
	if (permission !== 'granted') return { ok: false, error: m.push_blocked() };
	const key = await apiCall<{ publicKey: string }>('GET', '/api/push/key');
	if (!key.ok) return { ok: false, error: key.error };
	try {
		const registration = await withTimeout(navigator.serviceWorker.ready, 10_000, m.push_no_worker());
		const subscription =
			(await registration.pushManager.getSubscription()) ??
			(await withTimeout(
				registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key.data.publicKey }),
				SUBSCRIBE_TIMEOUT_MS,
				"The browser's push service did not answer. Check your connection and try again."
			));
		const saved = await apiCall('POST', '/api/push/subscriptions', { ...subscription.toJSON(), messages });
		if (!saved.ok) return { ok: false, error: saved.error };
	} catch (error) {
		return { ok: false, error: (error as Error).message || m.push_failed() };
	}
	savePreference({ enabled: true, messages });
	return { ok: true };
}

/** Removes this browser's subscription here and on the server. */
export async function disablePush(): Promise<void> {
	savePreference({ enabled: false, messages: false });
	if (!pushSupported()) return;
	const registration = await navigator.serviceWorker.getRegistration();
	const subscription = await registration?.pushManager.getSubscription();
	if (!subscription) return;
	await apiCall('DELETE', '/api/push/subscriptions', { endpoint: subscription.endpoint });
	await subscription.unsubscribe().catch(() => false);
}
