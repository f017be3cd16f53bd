import { created } from '#lib/server/api-handler.ts';
import { adminApi } from '#lib/server/admin-api.ts';

/** A link that lets one new person create an account, whatever the sign-up mode (valid a week). */
export const POST = adminApi(({ event, user, context }) => created(context.admin.signupLink(user.id, event.url.origin)));
