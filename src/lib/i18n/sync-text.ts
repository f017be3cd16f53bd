import { m } from '#lib/paraglide/messages.js';

/**
 * The sync service (sync/) closes and refuses in English, for its logs and for any client: the
 * browser shows those reasons in the person's language. A reason not listed here shows as sent.
 */
const REASONS: [RegExp, (match: RegExpExecArray) => string][] = [
	[/^This room was deleted/, () => m.sync_room_deleted()],
	[/^You are no longer a member of this room/, () => m.sync_not_member()],
	[/^Sign in to sync this room/, () => m.sync_sign_in()],
	[/^No such room, or you are not a member of it/, () => m.sync_no_room()],
	[/^You have this room open (\d+) times already/, (x) => m.sync_too_many({ count: Number(x[1]) })],
	[/^Server shutting down/, () => m.sync_shutdown()],
	[/^Your change could not be applied/, () => m.sync_bad_update()],
	[/^Your session has ended/, () => m.sync_session_ended()],
	[/^The server closed the connection/, () => m.sync_closed()],
	[/^Cross-site connection refused/, () => m.sync_cross_site()],
	[/^you have added ([\d.]+) MB to this room today/, (x) => m.sync_daily_cap({ mb: x[1] })],
	[/^you are sending changes too fast .*try again in (\d+) s/, (x) => m.sync_too_fast({ seconds: Number(x[1]) })],
	[/^you are sending too much too fast .*try again in (\d+) s/, (x) => m.sync_too_fast({ seconds: Number(x[1]) })]
];

export function syncReasonText(reason: string): string {
	for (const [pattern, text] of REASONS) {
		const match = pattern.exec(reason);
		if (match) return text(match);
	}
	return reason;
}
