import { redirect } from '@sveltejs/kit';
import { safeNext } from '#lib/auth/safe-next.ts';
import { getContext } from '#lib/server/context.ts';
import type { PageServerLoad } from './$types';

/** A room invite link the person came from (/invite/TOKEN in next), or an admin's sign-up link (?link=TOKEN). */
function signupToken(url: URL, next: string): string | null {
	const link = url.searchParams.get('link');
	if (link) return link.slice(0, 200);
	return /^\/invite\/([A-Za-z0-9_-]{10,100})(?:[?#]|$)/.exec(next)?.[1] ?? null;
}

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	const token = signupToken(url, next);
	const { signups } = getContext();
	const decision = signups.decide(token);
	return { next, token, mode: signups.mode().mode, allowed: decision.allowed, reason: decision.allowed ? null : decision.reason, first: decision.allowed && decision.via === 'first' };
};
