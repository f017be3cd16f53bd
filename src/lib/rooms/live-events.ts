import type { RoomEventMessage } from './types.ts';

const RETRY_MS = 5_000;

/** Whether this browser's session is gone (signed out elsewhere, disabled by an administrator); false when the server cannot be asked. */
async function signedOut(): Promise<boolean> {
	try {
		const response = await fetch('/api/auth/get-session', { cache: 'no-store' });
		return response.ok && (await response.json()) === null;
	} catch {
		return false;
	}
}

/**
 * Listens to `/api/events` (server-sent events) and calls back for each room change.
 * EventSource reconnects by itself after a dropped connection; when the server refuses it
 * (the session has ended: 401) it stops, and then `onSignedOut` runs if the session is really gone,
 * else it tries again a little later. Returns the function that stops listening.
 */
export function listenToRoomEvents(onChange: (message: RoomEventMessage) => void, onSignedOut: () => void = () => {}): () => void {
	let source: EventSource | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let stopped = false;
	const open = () => {
		source = new EventSource('/api/events');
		source.addEventListener('room', (event) => onChange(JSON.parse((event as MessageEvent<string>).data) as RoomEventMessage));
		source.addEventListener('error', async () => {
			if (source?.readyState !== EventSource.CLOSED) return;
			if (await signedOut()) {
				if (!stopped) onSignedOut();
			} else if (!stopped) timer = setTimeout(open, RETRY_MS);
		});
	};
	open();
	return () => {
		stopped = true;
		clearTimeout(timer);
		source?.close();
	};
}
