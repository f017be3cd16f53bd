import type { Workbox } from 'workbox-window';
import { keepPageForOffline } from './local-data.ts';

type InstallPrompt = Event & { prompt(): Promise<void>; userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }> };

/**
 * The installed-app side of Parley: registers the service worker, offers "Install" where the
 * browser allows it, and says when a new version is waiting. It never reloads by itself.
 */
class Pwa {
	canInstall = $state(false);
	updateReady = $state(false);
	#prompt: InstallPrompt | null = null;
	#workbox: Workbox | null = null;
	#started = false;

	async start(): Promise<void> {
		if (this.#started || !('serviceWorker' in navigator)) return;
		this.#started = true;
		addEventListener('beforeinstallprompt', (event) => {
			event.preventDefault();
			this.#prompt = event as InstallPrompt;
			this.canInstall = true;
		});
		addEventListener('appinstalled', () => {
			this.#prompt = null;
			this.canInstall = false;
		});
		const { Workbox } = await import('workbox-window');
		const workbox = new Workbox('/sw.js');
		this.#workbox = workbox;
		workbox.addEventListener('waiting', () => (this.updateReady = true));
		workbox.addEventListener('controlling', (event) => {
			// The first install takes control of the open page: keep it for offline use.
			if (!event.isUpdate) keepPageForOffline(location.href);
		});
		await workbox.register();
	}

	async install(): Promise<void> {
		const prompt = this.#prompt;
		if (!prompt) return;
		await prompt.prompt();
		await prompt.userChoice;
		this.#prompt = null;
		this.canInstall = false;
	}

	/** Activates the waiting version and reloads once it controls the page (only ever from a click). */
	applyUpdate(): void {
		const workbox = this.#workbox;
		if (!workbox) return;
		workbox.addEventListener('controlling', () => location.reload());
		workbox.messageSkipWaiting();
	}
}

export const pwa = new Pwa();
