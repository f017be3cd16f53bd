const HERE = 'http://parley.invalid';

/**
 * Where to go after signing in: only a path on this site, so a link cannot send people elsewhere,
 * and only as a URL normalises it (escaped), so it is always a valid Location header.
 */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
	// Browsers drop tabs and newlines and read `\` as `/`: `/\t/evil.example` would leave the site.
	if (!value || !value.startsWith('/') || [...value].some((c) => c < ' ' || c === '\x7f' || c === '\\')) return fallback;
	const url = URL.parse(value, HERE);
	if (!url || url.origin !== HERE) return fallback;
	return url.pathname + url.search + url.hash;
}
