import type { Rooms } from './rooms.ts';

/**
 * For tests and benchmarks: a group room whose chosen people have already accepted their
 * invitations, as the room existed before consent was asked for.
 */
export function createRoomWithMembers(rooms: Rooms, ownerId: string, input: { name: string; memberIds?: string[] }) {
	const room = rooms.create(ownerId, input);
	for (const invitee of room.invited) rooms.acceptInvitation(invitee.userId, room.id);
	return rooms.get(ownerId, room.id);
}

/** Invites someone and accepts as them. */
export function addAcceptedMember(rooms: Rooms, actorId: string, roomId: string, userId: string) {
	rooms.addMember(actorId, roomId, userId);
	rooms.acceptInvitation(userId, roomId);
}
