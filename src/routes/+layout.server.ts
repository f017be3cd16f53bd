import type { LayoutServerLoad } from './$types';

// The language the server chose (account, cookie, Accept-Language): signing in on a new device adopts the account's.
export const load: LayoutServerLoad = ({ locals }) => ({ user: locals.user, locale: locals.locale });
