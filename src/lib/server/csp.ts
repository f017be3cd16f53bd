import type { sveltekit } from '@sveltejs/kit/vite';

type CspDirectives = NonNullable<NonNullable<NonNullable<Parameters<typeof sveltekit>[0]>['csp']>['directives']>;

/**
 * Parley's Content Security Policy, in one place: SvelteKit applies it to pages (adding nonces
 * and hashes for its own scripts), and the HTTP server sends it as is on every other response
 * (static files, better-auth's routes, the API).
 */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self'],
	'style-src': ['self', 'unsafe-inline'],
	'img-src': ['self', 'data:', 'blob:'],
	'media-src': ['self', 'blob:'],
	'connect-src': ['self'],
	'worker-src': ['self'],
	'manifest-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self'],
	'frame-ancestors': ['none']
} satisfies CspDirectives;

const KEYWORDS = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic']);

/** The policy as a header value: keywords quoted, schemes and hosts as they are. */
export function cspHeader(directives: Record<string, readonly string[]> = CSP_DIRECTIVES): string {
	return Object.entries(directives)
		.map(([name, sources]) => [name, ...sources.map((s) => (KEYWORDS.has(s) ? `'${s}'` : s))].join(' '))
		.join('; ');
}
