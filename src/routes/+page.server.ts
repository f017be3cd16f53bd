import { redirect } from '@sveltejs/kit';
import { getContext } from '#lib/server/context.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, depends }) => {
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	depends('app:rooms');
	const { rooms } = getContext();
	return { user: locals.user, rooms: rooms.listForUser(locals.user.id), invitations: rooms.invitationsFor(locals.user.id) };
};
