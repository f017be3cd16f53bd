import { api, noContent } from '#lib/server/api-handler.ts';

/** Lifts a ban: the person can be invited or use an invite link again. */
export const DELETE = api(({ event, user, context }) => {
	context.rooms.liftBan(user.id, event.params.id!, event.params.userId!);
	return noContent();
});
