import { getContext } from '#lib/server/context.ts';
import { loadRoomForPage } from '#lib/server/page-room.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const loaded = loadRoomForPage(event);
	// Who I blocked, so the member list offers Unblock instead of Block.
	return { ...loaded, blocked: getContext().rooms.blocks.list(loaded.user.id).map((b) => b.userId) };
};
