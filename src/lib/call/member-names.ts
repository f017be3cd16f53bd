/**
 * Who a call participant is, as the people in the call see it: the account name from the room's
 * member list (the server's), never the name a browser puts on awareness, which anyone can set.
 */
export type MemberName = { userId: string; name: string };

/** Shown for someone in the call whom the member list does not know (removed a moment ago, or not yet loaded). */
export const NOT_A_MEMBER = 'Someone not in this room';

export function memberName(members: readonly MemberName[], userId: string): string {
	return members.find((m) => m.userId === userId)?.name ?? NOT_A_MEMBER;
}

/** The names for "In the call: …", in call order: "You" for oneself, each person once. */
export function inCallNames(participants: readonly { userId: string }[], members: readonly MemberName[], myId: string): string[] {
	const ids = [...new Set(participants.map((p) => p.userId))];
	return ids.map((id) => (id === myId ? 'You' : memberName(members, id)));
}
