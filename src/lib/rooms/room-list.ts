import { invalidate } from '$app/navigation';

/** The event the room list beside a room listens for (routes/rooms/+layout.svelte). */
export const ROOMS_CHANGED = 'parley:rooms-changed';

/**
 * The person's rooms changed (a message, a read mark, a room made): the lobby reloads its data and
 * the room list beside a room fetches the list again. That list is fetched apart from the page's
 * data, so that a refresh which fails (the network just went) leaves the page as it is: a failed
 * data reload would make SvelteKit load the whole page, which offline is the browser's error page.
 */
export function roomsChanged(): void {
	void invalidate('app:rooms');
	window.dispatchEvent(new Event(ROOMS_CHANGED));
}
