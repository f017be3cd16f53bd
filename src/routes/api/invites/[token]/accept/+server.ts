import { api } from '#lib/server/api-handler.ts';

export const POST = api(({ event, user, context }) => context.rooms.inviteLinks.accept(user.id, event.params.token!));
