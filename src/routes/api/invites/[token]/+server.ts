import { api } from '#lib/server/api-handler.ts';

export const GET = api(({ event, user, context }) => context.rooms.inviteLinks.info(user.id, event.params.token!));
