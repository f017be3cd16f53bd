import { z } from 'zod';
import { m } from '../paraglide/messages.js';

/** Request bodies of the rooms API; the server validates with these, the types below are derived from them. */
export const ROLES = ['owner', 'admin', 'member'] as const;
export const role = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });
export type Role = z.infer<typeof role>;

export const roomName = z
	.string({ error: () => m.err_room_name_missing() })
	.trim()
	.min(1, { error: () => m.err_room_name_missing() })
	.max(80, { error: () => m.err_room_name_long({ count: 80 }) });

const userId = z.string({ error: 'userId is required' }).min(1, 'userId is required').max(64, 'userId is too long');

export const createRoomBody = z.object({
	name: roomName,
	memberIds: z.array(userId).max(99, { error: () => m.err_create_max_people({ count: 99 }) }).optional()
});
export const directRoomBody = z.object({ userId });
export const renameRoomBody = z.object({ name: roomName });
export const addMemberBody = z.object({ userId });
export const blockBody = z.object({ userId });
/** `DELETE /api/rooms/<id>/members/<userId>?ban=1` removes and bans. */
export const banFlag = z.enum(['0', '1'], { error: 'ban must be 0 or 1' }).optional();
export const changeRoleBody = z.object({ role });
/** What a member hears of a room by push: every message, only mentions of them, or nothing. */
export const NOTIFY_LEVELS = ['all', 'mentions', 'none'] as const;
export const notifyLevel = z.enum(NOTIFY_LEVELS, { error: `level must be one of ${NOTIFY_LEVELS.join(', ')}` });
export type NotifyLevel = z.infer<typeof notifyLevel>;
export const notificationsBody = z.object({ level: notifyLevel });
export const createInviteBody = z.object({
	expiresInHours: z
		.number({ error: 'expiresInHours must be a number of hours' })
		.positive('expiresInHours must be more than 0')
		.max(24 * 30, { error: () => m.err_invite_max_days() })
		.optional(),
	maxUses: z.number({ error: 'maxUses must be a whole number' }).int('maxUses must be a whole number').min(1, 'maxUses must be at least 1').max(1000, 'maxUses can be at most 1000').optional()
});
export const userQuery = z
	.string({ error: 'Add a search query: ?q=' })
	.trim()
	.min(2, { error: () => m.err_search_short() })
	.max(100, { error: () => m.err_search_long() });

export type CreateRoomBody = z.infer<typeof createRoomBody>;
export type CreateInviteBody = z.infer<typeof createInviteBody>;
