import type { Role } from './schemas.ts';

export type { Role } from './schemas.ts';

/** A room in "my rooms". */
export type RoomSummary = {
	id: string;
	kind: 'group' | 'direct';
	/** For a direct room, the other person's name. */
	name: string;
	role: Role;
	memberCount: number;
	lastActivityAt: number;
	/** Messages by others since I last read the room. */
	unread: number;
};

export type Member = { userId: string; name: string; role: Role; joinedAt: number };

export type RoomDetail = {
	id: string;
	kind: 'group' | 'direct';
	name: string;
	createdBy: string;
	createdAt: number;
	lastActivityAt: number;
	myRole: Role;
	memberLimit: number;
	members: Member[];
};

export type Invite = {
	token: string;
	url: string;
	createdBy: string;
	createdAt: number;
	expiresAt: number;
	maxUses: number | null;
	useCount: number;
};

/** What someone holding an invite link may see. */
export type InviteInfo = {
	roomId: string;
	roomName: string;
	inviterName: string;
	valid: boolean;
	/** Why the invite cannot be used, when it cannot. */
	reason?: 'expired' | 'revoked' | 'used-up' | 'room-full';
	alreadyMember: boolean;
	expiresAt: number;
};

export type UserResult = { id: string; name: string; email?: string };

/** One line of the events stream (`GET /api/events`). */
export type RoomEventMessage = { roomId: string; kind: string; removed: boolean; by?: string; names?: { by: string; room: string } };
