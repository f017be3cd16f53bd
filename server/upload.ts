import type { IncomingMessage, ServerResponse } from 'node:http';
import { pickLocale } from '../src/lib/i18n/locale.ts';
import { ApiFailure, isApiFailure } from '../src/lib/server/api-failure.ts';
import type { AppContext } from '../src/lib/server/context.ts';
import { UploadRateLimited } from '../src/lib/server/files/files.ts';
import { withLocale } from '../src/lib/server/request-locale.ts';
import { headersOf, sameOriginUpgrade } from '../src/lib/server/upgrade-auth.ts';
import { LOCALE_COOKIE } from '../src/lib/i18n/locale.ts';
import { m } from '../src/lib/paraglide/messages.js';
import { sendJson } from './http.ts';

const UPLOAD_PATH = /^\/api\/rooms\/([^/?#]+)\/files$/;

/** The room id when the request is an upload (POST /api/rooms/[id]/files), else undefined. */
export function uploadRoom(req: IncomingMessage): string | undefined {
	if (req.method !== 'POST') return undefined;
	const match = UPLOAD_PATH.exec(req.url?.split('?')[0] ?? '');
	return match ? decodeURIComponent(match[1]) : undefined;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
	for (const part of (req.headers.cookie ?? '').split(';')) {
		const [key, ...value] = part.trim().split('=');
		if (key === name) return decodeURIComponent(value.join('='));
	}
	return undefined;
}

/**
 * POST /api/rooms/[id]/files?name=…: the body is the file's bytes. Handled before SvelteKit,
 * whose body limit is for JSON, so the upload streams to disk as it arrives and is never held
 * whole in memory. Session, same origin, membership, size and the person's upload allowance are
 * checked before a byte is read.
 */
export async function handleUpload(req: IncomingMessage, res: ServerResponse, roomId: string, context: AppContext): Promise<void> {
	const headers = headersOf(req);
	const session = sameOriginUpgrade(req, context.config.origin) ? await context.auth.api.getSession({ headers }).catch(() => null) : null;
	const locale = pickLocale({ account: session?.user.locale, cookie: cookie(req, LOCALE_COOKIE), acceptLanguage: req.headers['accept-language'] });
	await withLocale(locale, async () => {
		const refuse = (failure: ApiFailure) => {
			// Say no without reading the rest of a large body; the connection closes after the answer.
			res.setHeader('connection', 'close');
			if (failure instanceof UploadRateLimited) res.setHeader('retry-after', String(failure.retryAfterSeconds));
			sendJson(res, failure.status, { error: failure.message });
			req.resume();
		};
		if (!session) return refuse(new ApiFailure(401, m.err_sign_in()));
		const length = req.headers['content-length'];
		const declaredSize = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
		const name = new URL(req.url ?? '/', 'http://x').searchParams.get('name');
		try {
			const record = await context.files.upload({ roomId, userId: session.user.id, name, body: req, declaredSize });
			res.writeHead(201, { 'content-type': 'application/json', 'cache-control': 'no-store' });
			res.end(JSON.stringify(record));
		} catch (error) {
			if (isApiFailure(error)) return refuse(error);
			throw error;
		}
	});
}
