import { adminApi } from '#lib/server/admin-api.ts';

/** Every room with its size and members, largest first. */
export const GET = adminApi(({ context }) => context.admin.rooms());
