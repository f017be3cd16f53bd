import { z } from 'zod';
import { queryTerms } from '../core/search/search-text.ts';
import { m } from '../paraglide/messages.js';

import { MAX_QUERY_LENGTH } from './query-limit.ts';

export { MAX_QUERY_LENGTH };

/** `GET /api/search?q=…`: at least one word (letters or digits) to look for. */
export const searchQuery = z
	.string({ error: () => m.err_search_query_missing() })
	.trim()
	.min(1, { error: () => m.err_search_query_missing() })
	.max(MAX_QUERY_LENGTH, { error: () => m.err_search_query_long({ count: MAX_QUERY_LENGTH }) })
	.refine((q) => queryTerms(q).length > 0, { error: () => m.err_search_query_words() });

export const searchParams = z.object({ q: searchQuery });

/** One message found, from the server's index or from this device. */
export type SearchHit = {
	roomId: string;
	roomName: string;
	key: string;
	authorId: string;
	/** Empty when the author is no longer known (the device does not know everyone's name). */
	authorName: string;
	createdAt: number;
	/** The text around the match (the whole text when short). */
	snippet: string;
};

export type SearchAnswer = { hits: SearchHit[]; limit: number };
