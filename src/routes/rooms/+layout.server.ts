import { redirect } from '@sveltejs/kit';
import { getContext } from '#lib/server/context.ts';
import type { LayoutServerLoad } from './$types';

// The room list beside every room page (its sidebar on a wide screen), as the page is loaded; it keeps itself up to
// date apart from the page's data (room-list.ts).
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	return { user: locals.user, sidebarRooms: getContext().rooms.listForUser(locals.user.id) };
};
