import { api, created, noContent } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { subscriptionBody, unsubscribeBody } from '#lib/push/schemas.ts';

export const POST = api(async ({ event, user, context }) => {
	await context.push.subscribe(user.id, await readJsonBody(event.request, subscriptionBody));
	return created({ ok: true });
});

export const DELETE = api(async ({ event, user, context }) => {
	const { endpoint } = await readJsonBody(event.request, unsubscribeBody);
	context.push.unsubscribe(user.id, endpoint);
	return noContent();
});
