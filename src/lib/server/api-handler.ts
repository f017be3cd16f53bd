import { json, type RequestEvent } from '@sveltejs/kit';
import { ApiFailure, isApiFailure } from './api-failure.ts';
import { getContext, type AppContext } from './context.ts';
import { failureResponse } from './json-body.ts';
import { m } from '../paraglide/messages.js';

export type ApiCall = {
	event: RequestEvent;
	user: NonNullable<App.Locals['user']>;
	context: AppContext;
};

/**
 * Wraps an API endpoint: refuses requests without a session (401), turns a returned
 * value into JSON, and an ApiFailure into `{ error, field? }` with its status.
 */
export function api(handler: (call: ApiCall) => unknown) {
	return async (event: RequestEvent): Promise<Response> => {
		const user = event.locals.user;
		if (!user) return failureResponse(new ApiFailure(401, m.err_sign_in()));
		try {
			const result = await handler({ event, user, context: getContext() });
			return result instanceof Response ? result : json(result, { headers: { 'cache-control': 'no-store' } });
		} catch (error) {
			if (isApiFailure(error)) return failureResponse(error);
			throw error;
		}
	};
}

export const created = (body: unknown) => json(body, { status: 201, headers: { 'cache-control': 'no-store' } });
export const noContent = () => new Response(null, { status: 204 });
