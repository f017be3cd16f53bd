/** Longest search query, in characters (apart from schemas.ts, so a page's search box does not bring zod along). */
export const MAX_QUERY_LENGTH = 200;
