import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/** What came back on a raw connection: the status of the first response, if one arrived. */
export type RawReply = { status: number | null; closed: boolean };

export type RawOptions = {
	/** Bytes written once the server answered 101 (WebSocket frames, or anything). */
	afterUpgrade?: Buffer[];
	/** Reset the connection right after writing, without waiting for an answer. */
	reset?: boolean;
	timeoutMs?: number;
};

/**
 * Writes bytes to the server as they are (no client library in the way: any request line, any
 * header, any byte) and reads the status of the answer.
 */
export function rawRequest(port: number, request: Buffer, options: RawOptions = {}): Promise<RawReply> {
	const timeoutMs = options.timeoutMs ?? 3000;
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		let received = Buffer.alloc(0);
		let status: number | null = null;
		let settled = false;
		const finish = (closed: boolean) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			resolve({ status, closed });
		};
		const timer = setTimeout(() => finish(false), timeoutMs);
		socket.on('error', () => finish(true));
		socket.on('close', () => finish(true));
		socket.on('connect', () => {
			socket.write(request);
			if (options.reset) {
				socket.resetAndDestroy();
				finish(true);
			}
		});
		socket.on('data', (chunk) => {
			if (status !== null) return;
			received = Buffer.concat([received, chunk]);
			const line = received.subarray(0, received.indexOf('\r\n')).toString('latin1');
			const match = /^HTTP\/1\.[01] (\d{3})/.exec(line);
			if (!match) return;
			status = Number(match[1]);
			if (status !== 101 || !options.afterUpgrade?.length) return finish(false);
			for (const bytes of options.afterUpgrade) socket.write(bytes);
			// Give the server a moment to read the frames and answer (or close) before hanging up.
			setTimeout(() => finish(false), 150);
		});
	});
}

/** An HTTP/1.1 request assembled byte by byte: the request target and headers go out exactly as given. */
export function requestBytes(method: string, target: string | Buffer, headers: [string, string | Buffer][], body: Buffer = Buffer.alloc(0), version = 'HTTP/1.1'): Buffer {
	const parts: Buffer[] = [Buffer.from(`${method} `), Buffer.isBuffer(target) ? target : Buffer.from(target, 'latin1'), Buffer.from(` ${version}\r\n`)];
	for (const [name, value] of headers) parts.push(Buffer.from(`${name}: `), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), Buffer.from('\r\n'));
	parts.push(Buffer.from('\r\n'), body);
	return Buffer.concat(parts);
}

export const webSocketKey = () => randomBytes(16).toString('base64');

/** The headers of a well-formed WebSocket upgrade. */
export const upgradeHeaders = (host: string): [string, string][] => [
	['Host', host],
	['Upgrade', 'websocket'],
	['Connection', 'Upgrade'],
	['Sec-WebSocket-Version', '13'],
	['Sec-WebSocket-Key', webSocketKey()]
];

/** One client-to-server WebSocket frame; by default final and masked, as clients must send them. */
export function wsFrame(opcode: number, payload: Buffer, options: { fin?: boolean; rsv?: number; mask?: boolean; claimedLength?: bigint } = {}): Buffer {
	const { fin = true, rsv = 0, mask = true } = options;
	const length = options.claimedLength ?? BigInt(payload.length);
	const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
	const maskBit = mask ? 0x80 : 0;
	if (length < 126n) head.push(maskBit | Number(length));
	else if (length < 65536n) head.push(maskBit | 126, Number(length >> 8n) & 0xff, Number(length) & 0xff);
	else {
		head.push(maskBit | 127);
		for (let shift = 56n; shift >= 0n; shift -= 8n) head.push(Number((length >> shift) & 0xffn));
	}
	if (!mask) return Buffer.concat([Buffer.from(head), payload]);
	const key = randomBytes(4);
	const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]));
	return Buffer.concat([Buffer.from(head), key, masked]);
}
