import { describe, expect, it } from 'vitest';
import { parseFeedDisplay } from '../src/lib/core/call/sfu-display.ts';
import { guardRequest } from './janus-guard.ts';

const binding = { userId: 'ann', roomId: 'r1', janusRoom: 77, bitrateCap: 1_200_000 };
const sessions = new Set([5]);
const tokens = { session: () => 'SESSION', room: () => 'ROOM' };
const message = (body: Record<string, unknown>) => ({ janus: 'message', session_id: 5, handle_id: 9, transaction: 't', body });
const guard = (request: unknown) => guardRequest(request, binding, sessions, tokens);

describe('the /sfu request guard', () => {
	it('lets through what janus.js needs, with the server’s tokens instead of any the client sent', () => {
		const created = guard({ janus: 'create', transaction: 't', token: 'forged' });
		expect(created).toEqual({ ok: true, message: { janus: 'create', transaction: 't', token: 'SESSION' } });
		for (const janus of ['attach', 'trickle', 'keepalive', 'detach', 'hangup', 'destroy']) {
			expect(guard({ janus, session_id: 5, handle_id: 9, plugin: 'janus.plugin.videoroom', transaction: 't' }).ok).toBe(true);
		}
		const join = guard(message({ request: 'join', ptype: 'subscriber', room: 77, streams: [{ feed: 3 }], token: 'old' }));
		expect(join).toMatchObject({ ok: true, message: { token: 'SESSION', body: { request: 'join', room: 77, token: 'ROOM' } } });
		for (const request of ['configure', 'publish', 'unpublish', 'subscribe', 'unsubscribe', 'update', 'start', 'pause', 'switch', 'leave']) {
			expect(guard(message({ request })).ok).toBe(true);
		}
	});

	it('refuses recording, server-only fields, room control, other rooms and a lifted bitrate', () => {
		for (const body of [{ record: true }, { filename: '/tmp/x' }, { rec_dir: '/tmp' }, { secret: 's' }, { admin_key: 'k' }]) {
			expect(guard(message({ request: 'configure', ...body }))).toMatchObject({ ok: false, transaction: 't' });
		}
		for (const request of ['create', 'destroy', 'edit', 'kick', 'enable_recording', 'allowed', 'moderate', 'rtp_forward', 'stop_rtp_forward', 'listforwarders', 'list', 'listparticipants', 'exists']) {
			expect(guard(message({ request, room: 77 })).ok).toBe(false);
		}
		expect(guard(message({ request: 'configure', bitrate: 1_200_001 })).ok).toBe(false);
		expect(guard(message({ request: 'configure', bitrate: '9000000' })).ok).toBe(false);
		expect(guard(message({ request: 'configure', bitrate: 500_000 })).ok).toBe(true);
		expect(guard(message({ request: 'join', ptype: 'publisher', room: 78, display: 'p1' })).ok).toBe(false);
	});

	it('refuses core requests janus.js does not make, sessions of others and other plugins', () => {
		for (const janus of ['claim', 'info', 'add_token', 'ping']) expect(guard({ janus, session_id: 5, transaction: 't' }).ok).toBe(false);
		expect(guard({ janus: 'keepalive', session_id: 6, transaction: 't' }).ok).toBe(false);
		expect(guard({ janus: 'attach', session_id: 5, plugin: 'janus.plugin.streaming', transaction: 't' }).ok).toBe(false);
		expect(guard('not json').ok).toBe(false);
	});

	it('names every published feed after the authenticated person, whatever display the client claims', () => {
		const joined = guard(message({ request: 'join', ptype: 'publisher', room: 77, display: 'pbob' }));
		expect(joined.ok && parseFeedDisplay((joined.message.body as { display: string }).display)).toEqual({ userId: 'ann', peerId: 'pbob', screen: false });
		const screen = guard(message({ request: 'configure', display: 'screen:pann' }));
		expect(screen.ok && parseFeedDisplay((screen.message.body as { display: string }).display)).toEqual({ userId: 'ann', peerId: 'pann', screen: true });
		// A display that tries to carry its own user part is refused, as is a publisher without one.
		expect(guard(message({ request: 'join', ptype: 'publisher', room: 77, display: 'pbob@bob' })).ok).toBe(false);
		expect(guard(message({ request: 'join', ptype: 'publisher', room: 77 })).ok).toBe(false);
		expect(guard(message({ request: 'publish', display: 'x'.repeat(100) })).ok).toBe(false);
	});
});
