import { redirect } from '@sveltejs/kit';
import { safeNext } from '#lib/auth/safe-next.ts';
import { getContext } from '#lib/server/context.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next, mode: getContext().signups.mode().mode };
};
