import { getContext } from '#lib/server/context.ts';
import { loadRoomForPage } from '#lib/server/page-room.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const page = loadRoomForPage(event);
	const { config, rooms } = getContext();
	const monthly = page.room.history === 'monthly';
	return {
		...page,
		lastReadAt: rooms.lastReadAt(page.user.id, page.room.id),
		timeline: rooms.timelineFor(page.user.id, page.room.id),
		deletedAuthors: rooms.deletedAuthors(page.user.id, page.room.id),
		fileSizeLimit: config.files.sizeLimit,
		periods: monthly ? rooms.periods(page.user.id, page.room.id) : [],
		legacyState: monthly ? rooms.legacyState(page.room.id) : null
	};
};
