import { adminApi } from '#lib/server/admin-api.ts';

/** People on this instance, by name or email. */
export const GET = adminApi(({ event, context }) => ({ people: context.admin.people((event.url.searchParams.get('q') ?? '').slice(0, 200)) }));
