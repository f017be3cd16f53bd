import { api } from '#lib/server/api-handler.ts';
import { validate } from '#lib/server/json-body.ts';
import { searchParams, type SearchAnswer } from '#lib/search/schemas.ts';

/** Messages matching `q` in the rooms the person is a member of, newest first. */
export const GET = api(({ event, user, context }): SearchAnswer => {
	const { q } = validate({ q: event.url.searchParams.get('q') ?? '' }, searchParams);
	const { messageSearch } = context;
	return { hits: messageSearch.search(user.id, q), limit: messageSearch.resultLimit };
});
