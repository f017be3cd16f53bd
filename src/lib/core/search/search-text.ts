/**
 * How message text is matched by search, the same on the device and on the server: text and
 * query are folded (lower case in every script, accents and other marks dropped, so "Ольга"
 * is found by "ольга", "Ёлка" by "елка" and "Café" by "cafe"), split into words, and every
 * word of the query must begin a word of the message.
 */

/** Words: runs of letters and digits (as SQLite FTS5's unicode61 tokenizer sees them). */
const WORD = /[\p{L}\p{N}\p{Co}]+/gu;
/** Most words a query may have; more are ignored. */
export const MAX_QUERY_TERMS = 8;

/**
 * Folds text for matching. `toLowerCase` rather than `toLocaleLowerCase`: the device's locale
 * must not change what matches (a Turkish locale lowers "I" to "ı" on one side only).
 */
export function foldText(text: string): string {
	return text.toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '');
}

/** The folded words of a query, each at most once, in order. */
export function queryTerms(query: string): string[] {
	return [...new Set(foldText(query).match(WORD) ?? [])].slice(0, MAX_QUERY_TERMS);
}

/** A message's folded words, as one string where every word follows a space (what `matchesTerms` looks in). */
export function searchableText(text: string): string {
	const words = foldText(text).match(WORD);
	return words ? ` ${words.join(' ')}` : '';
}

/** Whether every term begins a word of `searchable` (from `searchableText`). */
export function matchesTerms(searchable: string, terms: readonly string[]): boolean {
	if (!terms.length) return false;
	for (const term of terms) if (!searchable.includes(` ${term}`)) return false;
	return true;
}

/** Most people a query word stands for as a mention ("ann" for Ann Lee and Anna Petrova). */
export const MAX_MENTIONED_PER_TERM = 20;

/**
 * For each term, the ids of the people (`[id, name]`) one of whose names' words it begins: a message
 * mentioning one of them matches the term too, as a mention reads as the person's name.
 */
export function mentionedBy(terms: readonly string[], people: Iterable<readonly [string, string]>): string[][] {
	const named = [...people].map(([id, name]) => [id, searchableText(name)] as const);
	return terms.map((term) => named.filter(([, words]) => words.includes(` ${term}`)).slice(0, MAX_MENTIONED_PER_TERM).map(([id]) => id));
}

const phrase = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** The FTS5 query for the terms: all of them, each as a word prefix or (`mentioned`, from `mentionedBy`) a mention of someone it names. */
export function ftsQuery(terms: readonly string[], mentioned: readonly (readonly string[])[] = []): string {
	// FTS5 takes a bracketed group only with an explicit AND beside it.
	return terms.map((term, i) => (mentioned[i]?.length ? `(${[`${phrase(term)}*`, ...mentioned[i].map(phrase)].join(' OR ')})` : `${phrase(term)}*`)).join(' AND ');
}

export type TextPart = { text: string; match: boolean };

/** Splits text into parts, marking the words a term begins (what a result highlights). */
export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
	const parts: TextPart[] = [];
	let at = 0;
	for (const word of text.matchAll(WORD)) {
		const folded = foldText(word[0]);
		if (!terms.some((term) => folded.startsWith(term))) continue;
		if (word.index > at) parts.push({ text: text.slice(at, word.index), match: false });
		parts.push({ text: word[0], match: true });
		at = word.index + word[0].length;
	}
	if (at < text.length) parts.push({ text: text.slice(at), match: false });
	return parts;
}

/** Characters of context a snippet keeps on each side of the first match. */
const SNIPPET_CONTEXT = 60;

/** The part of a message around its first match, with "…" where text was cut. */
export function snippetOf(text: string, terms: readonly string[], context = SNIPPET_CONTEXT): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	if (flat.length <= context * 2) return flat;
	let first = 0;
	for (const word of flat.matchAll(WORD)) {
		const folded = foldText(word[0]);
		if (terms.some((term) => folded.startsWith(term))) {
			first = word.index;
			break;
		}
	}
	const start = Math.max(0, first - context);
	const end = Math.min(flat.length, first + context * 2);
	return `${start > 0 ? '…' : ''}${flat.slice(start, end).trim()}${end < flat.length ? '…' : ''}`;
}
