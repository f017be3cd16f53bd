import { getContext } from '#lib/server/context.ts';
import { loadRoomForPage } from '#lib/server/page-room.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => ({ ...loadRoomForPage(event), fileSizeLimit: getContext().config.files.sizeLimit });
