import { redirect } from '@sveltejs/kit';
import { getContext } from '#lib/server/context.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	return { user: locals.user, blocked: getContext().rooms.blocks.list(locals.user.id) };
};
