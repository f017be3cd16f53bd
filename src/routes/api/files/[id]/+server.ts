import { api } from '#lib/server/api-handler.ts';
import { serveFile } from '#lib/server/files/serve.ts';

/** A file's bytes, for current members of the room it was posted to. */
export const GET = api(({ event, user, context }) => serveFile(context.files, event.params.id!, user.id, 'full', event.request.headers.get('if-none-match')));
