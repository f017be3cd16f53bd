import { parseMessageKey } from '../core/chat/message-key.ts';
import { mentionToken, tokensAsNames } from '../core/chat/mentions.ts';
import { mentionedBy, searchableText, snippetOf } from '../core/search/search-text.ts';

/** A message as the device search keeps it. */
export type DeviceEntry = { roomId: string; key: string; authorId: string; createdAt: number; text: string; searchable: string };
/** A message found on the device. */
export type DeviceMatch = Omit<DeviceEntry, 'searchable' | 'text'> & { snippet: string };

/**
 * The messages on this device, folded once for search and kept newest first, so a search
 * stops as soon as it has enough matches (a rare word still reads every message once).
 */
export class DeviceSearchIndex {
	#entries: DeviceEntry[] = [];
	/** `<roomId> <key>`: a message in two of a room's documents (while history moves to periods) counts once. */
	readonly #seen = new Set<string>();
	#sorted = true;

	get size(): number {
		return this.#entries.length;
	}

	/** Adds a room document's messages (`messages` is its map's entries). */
	addRoom(roomId: string, messages: Iterable<[string, unknown]>): void {
		for (const [key, value] of messages) {
			const parsed = parseMessageKey(key);
			const text = (value as { text?: unknown } | undefined)?.text;
			if (!parsed || typeof text !== 'string' || !text || this.#seen.has(`${roomId} ${key}`)) continue;
			this.#seen.add(`${roomId} ${key}`);
			this.#entries.push({ roomId, key, authorId: parsed.authorId, createdAt: parsed.time, text, searchable: searchableText(text) });
		}
		this.#sorted = false;
	}

	/**
	 * The newest `limit` messages with every term (a term also matches a mention of someone whose name it
	 * begins, among `people`), from the rooms `inRoom` accepts; mentions in snippets by `nameOf`.
	 */
	search(
		terms: readonly string[],
		limit: number,
		inRoom: (roomId: string) => boolean = () => true,
		nameOf: (userId: string) => string | undefined = () => undefined,
		people: Iterable<readonly [string, string]> = []
	): DeviceMatch[] {
		if (!terms.length) return [];
		if (!this.#sorted) {
			this.#entries.sort((a, b) => b.createdAt - a.createdAt || (a.key < b.key ? 1 : -1));
			this.#sorted = true;
		}
		const found: DeviceMatch[] = [];
		// What matchesTerms looks for, made once rather than once per message: this loop reads every message.
		// A mention is `<@id>` in the text, the word `id` in its searchable form.
		const mentioned = mentionedBy(terms, people);
		const needles = terms.map((term, i) => [` ${term}`, ...mentioned[i].map((id) => searchableText(mentionToken(id)))]);
		for (const entry of this.#entries) {
			if (!needles.every((either) => either.some((needle) => entry.searchable.includes(needle))) || !inRoom(entry.roomId)) continue;
			found.push({ roomId: entry.roomId, key: entry.key, authorId: entry.authorId, createdAt: entry.createdAt, snippet: snippetOf(tokensAsNames(entry.text, nameOf), terms) });
			if (found.length >= limit) break;
		}
		return found;
	}
}
