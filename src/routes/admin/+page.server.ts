import { error, redirect } from '@sveltejs/kit';
import { adminStatus } from '#lib/server/admin-status.ts';
import { getContext } from '#lib/server/context.ts';
import { m } from '#lib/paraglide/messages.js';
import type { PageServerLoad } from './$types';

/** The instance administrator's page: anyone else gets a plain 404, as if there were no such page. */
export const load: PageServerLoad = async ({ locals, url, depends }) => {
	if (!locals.user) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	const context = getContext();
	if (!context.signups.isAdmin(locals.user.id)) error(404, m.err_not_found());
	depends('app:admin');
	const { admin } = context;
	return { user: locals.user, people: admin.people(''), rooms: admin.rooms(), status: await adminStatus(context), audit: admin.audit() };
};
