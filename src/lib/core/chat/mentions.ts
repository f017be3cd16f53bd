/**
 * Mentions in a message: its text carries `<@userId>` where a person is mentioned (so it shows their
 * current name, whatever it was when written), and its value lists those ids in `mentions`. The
 * server takes a mention only of a member of the room whose token is in the text.
 */

/** Most people one message may mention. */
export const MAX_MENTIONS = 20;

const TOKEN = /<@([A-Za-z0-9_-]{1,100})>/g;

export function mentionToken(userId: string): string {
	return `<@${userId}>`;
}

/** The ids whose tokens the text carries, each once, in order. */
export function mentionedIn(text: string): string[] {
	return [...new Set([...text.matchAll(TOKEN)].map((match) => match[1]))];
}

/** The text and mentions of a message as pieces: plain text, and the people it mentions (tokens of ids it does not list stay text). */
export function mentionPieces(text: string, mentions: readonly string[] | undefined): ({ text: string } | { userId: string })[] {
	if (!mentions?.length) return [{ text }];
	const pieces: ({ text: string } | { userId: string })[] = [];
	let at = 0;
	for (const match of text.matchAll(TOKEN)) {
		if (!mentions.includes(match[1])) continue;
		if (match.index > at) pieces.push({ text: text.slice(at, match.index) });
		pieces.push({ userId: match[1] });
		at = match.index + match[0].length;
	}
	if (at < text.length) pieces.push({ text: text.slice(at) });
	return pieces;
}

/** The text as a person reads it without formatting (a notification, a quote): each mention as "@Name". */
export function mentionsAsNames(text: string, mentions: readonly string[] | undefined, nameOf: (userId: string) => string): string {
	return mentionPieces(text, mentions)
		.map((piece) => ('userId' in piece ? `@${nameOf(piece.userId)}` : piece.text))
		.join('');
}

/**
 * Every token in the text as "@Name", where `nameOf` knows the person (a search snippet, which has
 * the text but not the message's list); a token of someone it does not know stays as "@…".
 */
export function tokensAsNames(text: string, nameOf: (userId: string) => string | undefined): string {
	return text.replace(TOKEN, (_token, id: string) => `@${nameOf(id) ?? '…'}`);
}

/**
 * Why a message's mentions may not be written (null when they may): each once, at most MAX_MENTIONS,
 * each of a member of the room, each in the text.
 */
export function mentionsProblem(text: string, mentions: readonly string[] | undefined, isMember: ((userId: string) => boolean) | undefined): string | null {
	if (mentions === undefined) return null;
	if (new Set(mentions).size !== mentions.length) return 'mentions must name each person once';
	const inText = new Set(mentionedIn(text));
	for (const id of mentions) {
		if (!inText.has(id)) return `the text does not mention ${id}, which mentions lists`;
		if (!isMember?.(id)) return 'a message can only mention members of the room';
	}
	return null;
}
