import { api } from '#lib/server/api-handler.ts';
import type { RoomEventMessage } from '#lib/rooms/types.ts';

const HEARTBEAT_MS = 25_000;

/** Server-sent events: each change to a room the user is (or was just) in, as it happens. */
export const GET = api(({ event, user, context }) => {
	const encoder = new TextEncoder();
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (text: string) => controller.enqueue(encoder.encode(text));
			send('retry: 3000\n: connected\n\n');
			const unsubscribe = context.events.forUser(user.id, (change) => {
				const message: RoomEventMessage = { roomId: change.roomId, kind: change.kind, removed: change.revoked.includes(user.id), ...(change.by ? { by: change.by } : {}), ...(change.names ? { names: change.names } : {}) };
				send(`event: room\ndata: ${JSON.stringify(message)}\n\n`);
			});
			const heartbeat = setInterval(() => send(': ping\n\n'), HEARTBEAT_MS);
			const end = () => {
				stop();
				try {
					controller.close();
				} catch {
					// already closed
				}
			};
			const unClose = context.events.onClose(end);
			const unwatch = event.locals.sessionId ? context.liveSessions.add({ sessionId: event.locals.sessionId, userId: user.id, end }) : () => {};
			context.metrics.connections.inc({ service: 'events' });
			let open = true;
			stop = () => {
				if (!open) return;
				open = false;
				context.metrics.connections.dec({ service: 'events' });
				clearInterval(heartbeat);
				unsubscribe();
				unClose();
				unwatch();
			};
			event.request.signal.addEventListener('abort', end);
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, {
		headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' }
	});
});
