import { m } from '#lib/paraglide/messages.js';

/**
 * The call engine (src/lib/call/call.ts, sfu-links.ts) words its failures in English with the
 * browser's or the SFU's detail appended: the panel shows the known beginnings in the person's
 * language and keeps the detail as it came.
 */
const PREFIXES: [string, (detail: string) => string][] = [
	['Could not reach the call server: ', (detail) => m.call_error_signal({ detail })],
	['Could not move the call to the server: ', (detail) => m.call_error_move({ detail })],
	['Could not share the screen through the server: ', (detail) => m.call_error_screen({ detail })],
	['Could not reach the SFU: ', (detail) => m.call_error_sfu({ detail })],
	['The SFU refused to join: ', (detail) => m.call_error_sfu_refused({ detail })]
];

export function callErrorText(error: string): string {
	for (const [prefix, text] of PREFIXES) if (error.startsWith(prefix)) return text(error.slice(prefix.length));
	return error;
}
