import { getContext } from '#lib/server/context.ts';
import { isApiFailure } from '#lib/server/api-failure.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	if (!locals.user) return { user: null, invite: null, problem: null, token: params.token };
	try {
		return { user: locals.user, invite: getContext().rooms.inviteLinks.info(locals.user.id, params.token), problem: null, token: params.token };
	} catch (failure) {
		if (isApiFailure(failure)) return { user: locals.user, invite: null, problem: failure.message, token: params.token };
		throw failure;
	}
};
