import type { HistoryMode } from '../core/chat/period.ts';
import type { NotifyLevel, Role } from './schemas.ts';

export type { NotifyLevel, Role } from './schemas.ts';

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
	/** Of those, the ones that mention me. */
	mentions: number;
	/** For a direct room, the other person's id (their avatar's colour is the room's). */
	peerId?: string;
	/** The URL of its picture (a direct room's is the other person's), if it has one. */
	avatar?: string;
	/** The room's newest message as its list shows it (the text as one line, mentions as names; '' for files only), or null for none. */
	preview: { authorId: string; authorName: string; at: number; text: string } | null;
};

/** `avatar`: the URL of their picture, or null for initials. */
export type Member = { userId: string; name: string; role: Role; joinedAt: number; avatar: string | null };

/** Someone invited to a room who has not accepted yet: not a member for any purpose. */
export type PendingMember = { userId: string; name: string; invitedBy: string; invitedAt: number };

/** Someone removed and banned from a room: no invite link lets them back in until the ban is lifted. */
export type BannedPerson = { userId: string; name: string; bannedAt: number };

/** Someone I blocked: they cannot invite, add, ring or message me. */
export type BlockedPerson = { userId: string; name: string; blockedAt: number };

/** An invitation waiting for my answer, shown in the lobby. For a direct room, a message request. */
export type Invitation = { roomId: string; kind: 'group' | 'direct'; roomName: string; inviterId: string; inviterName: string; invitedAt: number };

export type RoomDetail = {
	id: string;
	kind: 'group' | 'direct';
	name: string;
	/** The URL of its picture (a direct room's is the other person's), or null for initials. */
	avatar: string | null;
	createdBy: string;
	createdAt: number;
	lastActivityAt: number;
	/** Whether its messages live in its main document or in one per month (period.ts). */
	history: HistoryMode;
	myRole: Role;
	/** What I hear of the room by push. */
	myNotifications: NotifyLevel;
	memberLimit: number;
	members: Member[];
	/** Invited, not yet accepted. */
	invited: PendingMember[];
	/** Only the owner and admins see the bans; empty for others. */
	bans: BannedPerson[];
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
	reason?: 'expired' | 'revoked' | 'used-up' | 'room-full' | 'banned';
	alreadyMember: boolean;
	expiresAt: number;
};

export type UserResult = { id: string; name: string; email?: string };

/** One line of the events stream (`GET /api/events`). */
export type RoomEventMessage = { roomId: string; kind: string; removed: boolean; by?: string; names?: { by: string; room: string } };

/**
 * Why a room's page is refused, as the error page tells it: only what the person already knows.
 * `unavailable` covers a room that never existed and one they left or were removed from alike,
 * so a room id says nothing to someone who was never in it; `removed` is a ban (only ever of a
 * former member); `invited` an invitation they have not answered.
 */
export type RoomRefusal = 'unavailable' | 'removed' | 'invited';

/** What a room's timeline shows besides messages (src/lib/server/timeline.ts). */
export type TimelineKind = 'created' | 'joined' | 'left' | 'removed' | 'renamed' | 'call-started' | 'call-ended';

/** One of them: who did it and to whom, by their names now; `detail` is a rename's new name or a call's length in ms. */
export type TimelineEvent = { id: number; at: number; kind: TimelineKind; actorId: string | null; actorName: string; targetId: string | null; targetName: string; detail: string | null };
