import { m } from '#lib/paraglide/messages.js';
import type { Role } from '../rooms/schemas.ts';

/**
 * Who a call participant is, as the people in the call see it: the account name from the room's
 * member list (the server's), never the name a browser puts on awareness, which anyone can set.
 */
export type MemberName = { userId: string; name: string; role?: Role; avatar?: string | null };


/** The URL of a participant's picture, from the same member list; undefined for initials. */
export function memberAvatar(members: readonly MemberName[], userId: string): string | undefined {
	return members.find((member) => member.userId === userId)?.avatar ?? undefined;
}

export function memberName(members: readonly MemberName[], userId: string): string {
	// Someone the member list does not know: removed a moment ago, or not yet loaded.
	return members.find((member) => member.userId === userId)?.name ?? m.not_a_member();
}

/** The names for "In the call: …", in call order: "You" (in the current language) for oneself, each person once. */
export function inCallNames(participants: readonly { userId: string }[], members: readonly MemberName[], myId: string): string[] {
	const ids = [...new Set(participants.map((p) => p.userId))];
	return ids.map((id) => (id === myId ? m.you() : memberName(members, id)));
}
