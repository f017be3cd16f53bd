import { api } from '#lib/server/api-handler.ts';

/** The invitations (and direct-room requests) waiting for my answer. */
export const GET = api(({ user, context }) => ({ invitations: context.rooms.invitationsFor(user.id) }));
