/** The y-websocket message types, plus one of Parley's own. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Parley's acknowledgement: the server's state vector after it stored an update from this
 * connection, so the sender knows which of its messages the server has. Sent only to
 * clients that connect with `?ack=1` (stock y-websocket clients do not know it).
 */
export const MESSAGE_SERVER_STATE = 100;

/** WebSocket close codes the sync service uses, with the reason sent alongside. */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_NOT_FOUND = 4404;
export const CLOSE_SHUTDOWN = 1001;
