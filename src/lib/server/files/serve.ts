import { Readable } from 'node:stream';
import { ApiFailure } from '../api-failure.ts';
import type { Files } from './files.ts';
import { rendersInline } from './sniff.ts';
import { m } from '../../paraglide/messages.js';

/**
 * The answer to GET /api/files/[id] (and its thumbnail): only for current members of the room the
 * file was posted to. Served so that nothing in it can run on Parley's origin: its sniffed type,
 * nosniff, a sandboxing CSP, and as an attachment unless it is an image, video or audio the app shows.
 */
export async function serveFile(files: Files, fileId: string, userId: string, variant: 'full' | 'thumbnail', ifNoneMatch: string | null): Promise<Response> {
	const record = files.readable(fileId, userId);
	const hash = variant === 'thumbnail' ? record.thumbHash : record.hash;
	if (!hash) throw new ApiFailure(404, m.err_no_file());
	const type = variant === 'thumbnail' ? 'image/webp' : record.type;
	const etag = `"${hash}"`;
	const headers: Record<string, string> = {
		'content-type': type,
		'x-content-type-options': 'nosniff',
		'content-security-policy': "default-src 'none'; sandbox",
		'cross-origin-resource-policy': 'same-origin',
		// Each request is checked again: someone removed from the room loses the file.
		'cache-control': 'private, no-cache',
		etag,
		'content-disposition': `${rendersInline(type) ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(record.name)}`
	};
	if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
	const stream = await files.storage.get(hash);
	if (!stream) throw new ApiFailure(404, m.err_no_file());
	if (variant === 'full') headers['content-length'] = String(record.size);
	return new Response(Readable.toWeb(stream) as ReadableStream, { status: 200, headers });
}
