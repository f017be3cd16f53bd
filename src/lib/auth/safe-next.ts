const BASE = 'http://parley.invalid';

/**
 * Where to go after signing in: only a path on this site, so a link cannot send people elsewhere.
 * Control characters are refused outright: they cannot go in a Location header, and browsers drop
 * tabs and line breaks from URLs, which would turn `/<tab>/evil.example` into `//evil.example`.
 */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /\p{Cc}/u.test(value)) return fallback;
	try {
		return new URL(value, BASE).origin === BASE ? value : fallback;
	} catch {
		return fallback;
	}
}
