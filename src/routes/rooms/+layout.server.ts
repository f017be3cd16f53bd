import { redirect } from '@sveltejs/kit';
import { getContext } from '#lib/server/context.ts';
import type { LayoutServerLoad } from './$types';

// The room list beside every room page (its sidebar on a wide screen), refreshed with the lobby's ('app:rooms').
export const load: LayoutServerLoad = ({ locals, url, depends }) => {
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	depends('app:rooms');
	return { user: locals.user, sidebarRooms: getContext().rooms.listForUser(locals.user.id) };
};
