import { created } from '#lib/server/api-handler.ts';
import { adminApi } from '#lib/server/admin-api.ts';

/** A reset-password link for this person, to hand over (valid one day, once). */
export const POST = adminApi(async ({ event, user, context }) => created(await context.admin.resetLink(user.id, event.params.userId!, event.url.origin)));
