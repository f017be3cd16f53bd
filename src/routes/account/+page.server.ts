import { redirect } from '@sveltejs/kit';
import { getContext } from '#lib/server/context.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url, depends }) => {
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	depends('app:account');
	const { accountSessions, signups, avatars } = getContext();
	return { user: locals.user, avatar: avatars.url({ kind: 'user', id: locals.user.id }), devices: accountSessions.list(locals.user.id, locals.sessionId), lastAdmin: signups.isLastAdmin(locals.user.id) };
};
