import { mentionPieces, mentionToken, MAX_MENTIONS } from '../core/chat/mentions.ts';
import { foldText } from '../core/search/search-text.ts';

/**
 * Mentions while writing: the draft shows "@Name" for each person chosen from the list, and
 * becomes `<@id>` tokens (mentions.ts) when sent, so the message keeps naming them by id.
 */
export type Chosen = { userId: string; name: string };

/** Characters that may follow a mention in a draft: anything but a letter, digit or joiner of a name. */
const AFTER_NAME = /^(?:[^\p{L}\p{N}\p{M}_]|$)/u;

/** The message a draft becomes: every "@Name" of a chosen person still in it as their token, and who it mentions. */
export function draftToMessage(draft: string, chosen: readonly Chosen[]): { text: string; mentions: string[] } {
	// Longer names first: "@Ann Lee" is not taken for "@Ann" followed by " Lee".
	const people = [...new Map(chosen.map((c) => [c.userId, c])).values()].filter((c) => c.name).sort((a, b) => b.name.length - a.name.length);
	let text = '';
	const mentions: string[] = [];
	let at = 0;
	while (at < draft.length) {
		const next = draft.indexOf('@', at);
		if (next < 0) break;
		const person = people.find((p) => draft.startsWith(p.name, next + 1) && AFTER_NAME.test(draft.charAt(next + 1 + p.name.length)));
		if (!person || (!mentions.includes(person.userId) && mentions.length >= MAX_MENTIONS)) {
			text += draft.slice(at, next + 1);
			at = next + 1;
			continue;
		}
		text += draft.slice(at, next) + mentionToken(person.userId);
		if (!mentions.includes(person.userId)) mentions.push(person.userId);
		at = next + 1 + person.name.length;
	}
	return { text: text + draft.slice(at), mentions };
}

/** A stored message as a draft again (editing it): its mentions as "@Name", and who they are. */
export function messageToDraft(text: string, mentions: readonly string[] | undefined, nameOf: (userId: string) => string): { draft: string; chosen: Chosen[] } {
	const chosen: Chosen[] = [];
	const draft = mentionPieces(text, mentions)
		.map((piece) => {
			if (!('userId' in piece)) return piece.text;
			const name = nameOf(piece.userId);
			chosen.push({ userId: piece.userId, name });
			return `@${name}`;
		})
		.join('');
	return { draft, chosen };
}

/** The "@letters" being typed just before the caret, if any: where its "@" is and the letters after it. */
export function mentionQuery(draft: string, caret: number): { start: number; query: string } | null {
	const before = draft.slice(0, caret);
	// After anything but a letter or digit ("me@example.org" is an address, "**@ann" a bold mention).
	const match = /(?:^|[^\p{L}\p{N}\p{M}_])@([\p{L}\p{N}\p{M}_.'-]{0,40})$/u.exec(before);
	if (!match) return null;
	return { start: caret - match[1].length - 1, query: match[1] };
}

/**
 * The members whose name matches what is typed after "@", folded as search folds (lower case in
 * every script, marks dropped: "бор" finds "Борис", "zoe" finds "Zoë"): the name or one of its
 * words begins with it. Names that begin with it come first.
 */
export function matchMembers<T extends { name: string }>(members: readonly T[], query: string, limit = 8): T[] {
	const folded = foldText(query);
	const ranked: { member: T; rank: number }[] = [];
	for (const member of members) {
		const name = foldText(member.name);
		if (name.startsWith(folded)) ranked.push({ member, rank: 0 });
		else if (name.split(/[\s\-_.']+/u).some((word) => word.startsWith(folded))) ranked.push({ member, rank: 1 });
	}
	return ranked
		.sort((a, b) => a.rank - b.rank)
		.slice(0, limit)
		.map((r) => r.member);
}
