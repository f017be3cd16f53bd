import type { RoomEventMessage } from './types.ts';

/**
 * Listens to `/api/events` (server-sent events) and calls back for each room change.
 * EventSource reconnects by itself; returns the function that stops listening.
 */
export function listenToRoomEvents(onChange: (message: RoomEventMessage) => void): () => void {
	const source = new EventSource('/api/events');
	source.addEventListener('room', (event) => onChange(JSON.parse((event as MessageEvent<string>).data) as RoomEventMessage));
	return () => source.close();
}
