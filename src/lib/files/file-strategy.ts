/**
 * How the service worker answers for a file: ask the server first (a cached copy is revalidated by
 * its ETag, so an unchanged file costs a 304), so that a file the server now refuses is never shown
 * online; the cached copy stands in only when the server cannot be reached. Media asks for ranges:
 * those are cut from the whole file, which is what is fetched and kept.
 */
import { createPartialResponse } from 'workbox-range-requests';
import { cachedFile, dropFile, storeFile, touchFile } from './file-cache.ts';
import { fileCacheDecision } from './file-cache-policy.ts';

/** A file's cache key: its URL without the fragment. */
const keyOf = (request: Request) => request.url.split('#')[0]!;

export async function answerFileRequest(request: Request): Promise<Response> {
	const key = keyOf(request);
	const cached = await cachedFile(key);
	const etag = cached?.headers.get('etag');
	let network: Response | undefined;
	try {
		// The whole file, never a range of it: only whole files are kept and revalidated.
		network = await fetch(key, { credentials: 'same-origin', cache: 'no-store', headers: etag ? { 'if-none-match': etag } : {} });
	} catch {
		network = undefined;
	}
	const decision = fileCacheDecision(network?.status ?? 'offline', cached !== undefined);
	if (decision.drop) await dropFile(key);
	if (decision.answer === 'cached' && cached) {
		await touchFile(key);
		return ranged(request, cached);
	}
	if (!network) return Response.error();
	if (decision.store) return ranged(request, await storeFile(key, network));
	return network;
}

/** The part a Range request asked for (206), else the whole answer. */
function ranged(request: Request, response: Response): Promise<Response> | Response {
	return request.headers.has('range') ? createPartialResponse(request, response) : response;
}
