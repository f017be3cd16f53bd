import { adminApi } from '#lib/server/admin-api.ts';
import { adminStatus } from '#lib/server/admin-status.ts';

/** Storage, the SFU, TURN and the run-time settings. */
export const GET = adminApi(({ context }) => adminStatus(context));
