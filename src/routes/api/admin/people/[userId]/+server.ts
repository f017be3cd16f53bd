import { adminApi } from '#lib/server/admin-api.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { personPatchBody } from '#lib/admin/schemas.ts';

/** Disables an account (its sessions and live connections end) or enables it again. */
export const PATCH = adminApi(async ({ event, user, context }) => {
	const { disabled } = await readJsonBody(event.request, personPatchBody);
	context.admin.setDisabled(user.id, event.params.userId!, disabled);
	return { disabled };
});
