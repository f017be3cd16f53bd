import { api } from '#lib/server/api-handler.ts';

/** The VAPID public key browsers subscribe with (applicationServerKey). */
export const GET = api(({ context }) => ({ publicKey: context.push.publicKey }));
