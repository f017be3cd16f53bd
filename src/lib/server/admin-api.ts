import { api, type ApiCall } from './api-handler.ts';

/** An /api/admin endpoint: a session (401) of an enabled instance administrator (403), checked on every request. */
export function adminApi(handler: (call: ApiCall) => unknown) {
	return api((call) => {
		call.context.admin.require(call.user.id);
		return handler(call);
	});
}
