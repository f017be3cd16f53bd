import { noContent } from '#lib/server/api-handler.ts';
import { adminApi } from '#lib/server/admin-api.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { settingsBody } from '#lib/admin/schemas.ts';

/** Changes the settings that are safe to change while Parley runs (stored in the database, over the environment's default). */
export const PUT = adminApi(async ({ event, user, context }) => {
	const { signups } = await readJsonBody(event.request, settingsBody);
	context.admin.setSignupMode(user.id, signups);
	return noContent();
});
