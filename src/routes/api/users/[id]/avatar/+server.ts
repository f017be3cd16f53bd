import { api } from '#lib/server/api-handler.ts';
import { avatarResponse } from '#lib/server/avatars.ts';

/** A person's picture, for themselves and people who share a room with them. */
export const GET = api(({ event, user, context }) => avatarResponse(event.request, context.avatars.read(user.id, event.params.id!)));
