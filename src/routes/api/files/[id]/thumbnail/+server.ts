import { api } from '#lib/server/api-handler.ts';
import { serveFile } from '#lib/server/files/serve.ts';

/** An image's thumbnail (WebP, at most 480 px a side), for current members of its room. */
export const GET = api(({ event, user, context }) => serveFile(context.files, event.params.id!, user.id, 'thumbnail', event.request.headers.get('if-none-match')));
