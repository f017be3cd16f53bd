import { feedDisplay, isFeedTag } from '../src/lib/core/call/sfu-display.ts';
import { VIDEOROOM } from './janus-token.ts';

/** Whose `/sfu` connection this is and what it may reach: one call's videoroom, as one person. */
export type SfuBinding = { userId: string; roomId: string; janusRoom: number; bitrateCap: number };

export type Verdict = { ok: true; message: Record<string, unknown> } | { ok: false; reason: string; transaction?: string };

/** Core requests janus.js makes for a session; `claim`, `info` and the admin requests are not among them. */
const CORE = new Set(['create', 'attach', 'message', 'trickle', 'keepalive', 'detach', 'hangup', 'destroy']);
/** Videoroom requests of a participant (publish, subscribe, leave). Room control (create, kick, record, forward, list…) is the server's. */
const PARTICIPANT = new Set(['join', 'joinandconfigure', 'configure', 'publish', 'unpublish', 'subscribe', 'unsubscribe', 'update', 'start', 'pause', 'switch', 'leave']);
/** Fields that write files or unlock room control: Janus would honour them from anyone holding the secret. */
const SERVER_ONLY = ['record', 'filename', 'rec_dir', 'secret', 'admin_key', 'pin'];
/** Requests that can set a publisher's display. */
const NAMES_FEED = new Set(['joinandconfigure', 'configure', 'publish']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks one client→Janus request at the `/sfu` proxy and rewrites it into what the server allows:
 * only the requests janus.js needs, on sessions this connection created, for the bound call's
 * videoroom; Janus' tokens come from the server (any the client sent are dropped), and a feed's
 * display names the authenticated person.
 */
export function guardRequest(
	request: unknown,
	binding: SfuBinding,
	sessions: ReadonlySet<number>,
	tokens: { session: () => string; room: () => string }
): Verdict {
	if (!isObject(request) || typeof request.janus !== 'string') return { ok: false, reason: 'not a Janus request' };
	const transaction = typeof request.transaction === 'string' ? request.transaction : undefined;
	const refuse = (reason: string): Verdict => ({ ok: false, reason, transaction });
	const kind = request.janus;
	if (!CORE.has(kind)) return refuse(`'${kind}' is not allowed through Parley's SFU proxy`);
	if (kind !== 'create' && !sessions.has(request.session_id as number)) return refuse('unknown session');
	if (kind === 'attach' && request.plugin !== VIDEOROOM) return refuse(`only ${VIDEOROOM} can be attached`);
	const message: Record<string, unknown> = { ...request, token: tokens.session() };
	delete message.apisecret;
	if (kind === 'message') {
		const body = guardBody(request.body, binding, tokens);
		if (typeof body === 'string') return refuse(body);
		message.body = body;
	}
	return { ok: true, message };
}

/** A videoroom request body, rewritten, or why it is refused. */
function guardBody(body: unknown, binding: SfuBinding, tokens: { room: () => string }): Record<string, unknown> | string {
	if (!isObject(body) || typeof body.request !== 'string') return 'a plugin message needs a request';
	const request = body.request;
	if (!PARTICIPANT.has(request)) return `the videoroom request '${request}' is not allowed to participants`;
	for (const field of SERVER_ONLY) if (field in body) return `'${field}' is set by the server only`;
	if ('bitrate' in body && !(typeof body.bitrate === 'number' && body.bitrate <= binding.bitrateCap)) return `bitrate above this call's cap of ${binding.bitrateCap}`;
	if ('room' in body && body.room !== binding.janusRoom) return "not this call's videoroom";
	const out: Record<string, unknown> = { ...body };
	delete out.token;
	if (request === 'join' || request === 'joinandconfigure') out.token = tokens.room();
	const publisherJoin = (request === 'join' && body.ptype === 'publisher') || request === 'joinandconfigure';
	if (publisherJoin || (NAMES_FEED.has(request) && 'display' in body)) {
		if (!isFeedTag(body.display)) return 'display must be a feed tag (a peer id, or screen:<peer id>)';
		out.display = feedDisplay(body.display, binding.userId);
	}
	return out;
}
