import { z } from 'zod';

/** Request bodies of the rooms API; the server validates with these, the types below are derived from them. */
export const ROLES = ['owner', 'admin', 'member'] as const;
export const role = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });
export type Role = z.infer<typeof role>;

export const roomName = z
	.string({ error: 'Give the room a name' })
	.trim()
	.min(1, 'Give the room a name')
	.max(80, 'Use at most 80 characters for the room name');

const userId = z.string({ error: 'userId is required' }).min(1, 'userId is required').max(64, 'userId is too long');

export const createRoomBody = z.object({
	name: roomName,
	memberIds: z.array(userId).max(99, 'Add at most 99 people when creating a room').optional()
});
export const directRoomBody = z.object({ userId });
export const renameRoomBody = z.object({ name: roomName });
export const addMemberBody = z.object({ userId });
export const blockBody = z.object({ userId });
/** `DELETE /api/rooms/<id>/members/<userId>?ban=1` removes and bans. */
export const banFlag = z.enum(['0', '1'], { error: 'ban must be 0 or 1' }).optional();
export const changeRoleBody = z.object({ role });
export const createInviteBody = z.object({
	expiresInHours: z
		.number({ error: 'expiresInHours must be a number of hours' })
		.positive('expiresInHours must be more than 0')
		.max(24 * 30, 'An invite can last at most 30 days (720 hours)')
		.optional(),
	maxUses: z.number({ error: 'maxUses must be a whole number' }).int('maxUses must be a whole number').min(1, 'maxUses must be at least 1').max(1000, 'maxUses can be at most 1000').optional()
});
export const userQuery = z
	.string({ error: 'Add a search query: ?q=' })
	.trim()
	.min(2, 'Type at least 2 characters to search')
	.max(100, 'The search is too long');

export type CreateRoomBody = z.infer<typeof createRoomBody>;
export type CreateInviteBody = z.infer<typeof createInviteBody>;
