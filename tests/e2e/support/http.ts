import { request as httpRequest } from 'node:http';

export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A plain Node HTTP request, optionally from a chosen loopback source address (for per-address limits). */
export function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; localAddress?: string } = {}): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const data = init.body === undefined ? undefined : JSON.stringify(init.body);
		const headers: Record<string, string | number> = { ...init.headers };
		if (data !== undefined) {
			headers['content-type'] = 'application/json';
			headers['content-length'] = Buffer.byteLength(data);
		}
		const req = httpRequest(url, { method: init.method ?? (data ? 'POST' : 'GET'), localAddress: init.localAddress, headers }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (c) => (body += c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on('error', reject);
		req.end(data);
	});
}

export const sessionCookie = (reply: Reply) => {
	const cookies = reply.headers['set-cookie'] ?? [];
	const session = (Array.isArray(cookies) ? cookies : [cookies]).find((c) => c.includes('session_token='));
	if (!session) throw new Error(`no session cookie in ${reply.status} ${reply.body}`);
	return session.split(';')[0];
};
