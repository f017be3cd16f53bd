import { getContext } from '#lib/server/context.ts';
import { loadRoomForPage } from '#lib/server/page-room.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const page = loadRoomForPage(event);
	const { config, rooms } = getContext();
	return {
		...page,
		lastReadAt: rooms.lastReadAt(page.user.id, page.room.id),
		fileSizeLimit: config.files.sizeLimit,
		periods: page.room.history === 'monthly' ? rooms.periods(page.user.id, page.room.id) : []
	};
};
