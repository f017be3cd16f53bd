import { getContext } from '#lib/server/context.ts';
import type { LayoutServerLoad } from './$types';

// The language the server chose (account, cookie, Accept-Language): signing in on a new device adopts the account's.
// `isAdmin` shows the header's Admin link; the /admin page and /api/admin check it again on every request.
export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user,
	locale: locals.locale,
	isAdmin: locals.user ? getContext().signups.isAdmin(locals.user.id) : false
});
