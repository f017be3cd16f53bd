import { adminApi } from '#lib/server/admin-api.ts';

/** The latest administrator actions, newest first. */
export const GET = adminApi(({ context }) => ({ entries: context.admin.audit() }));
