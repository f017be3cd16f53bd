import { api } from '#lib/server/api-handler.ts';
import { validate } from '#lib/server/json-body.ts';
import { userQuery } from '#lib/rooms/schemas.ts';

export const GET = api(({ event, user, context }) => {
	const q = validate(event.url.searchParams.get('q') ?? undefined, userQuery);
	return { users: context.userSearch.search(user.id, q) };
});
