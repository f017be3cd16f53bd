// Uploads over loopback to a real server (`node server/main.ts`, SFU off, its own DATA_DIR):
//   upload_mb_per_s        one 20 MB file of random bytes (BIG_MB=… for another size; MB = 2^20 bytes), request start to 201
//   rss_growth_bytes       the server's RSS (VmRSS) during that upload, highest sample minus the one
//                          before it: small when the upload is streamed to disk (aim: under 32 MB)
//   thumbnail_p50_ms/p95   50 images of ~2 MB (PNG and JPEG of noise, made with sharp), one after
//                          another: from the upload's start until GET …/thumbnail answers 200
//   images_mb_per_s        those 50 images' bytes over the time they took (re-encoding and thumbnails included)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { call, startServer, stopServer, type Server } from './support/history-server.ts';

const MB = 1024 * 1024;
const BIG_BYTES = Number(process.env.BIG_MB ?? 20) * MB;
const IMAGES = Number(process.env.IMAGES ?? 50);
const IMAGE_BYTES = 2 * MB;

const rss = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** A PNG or JPEG of noise of about `target` bytes (noise does not compress, so its size follows its pixels). */
async function noiseImage(format: 'png' | 'jpeg', target: number): Promise<Buffer> {
	const make = (side: number) => {
		const image = sharp({ create: { width: side, height: side, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } });
		return (format === 'png' ? image.png() : image.jpeg({ quality: 95 })).toBuffer();
	};
	const probe = await make(400);
	return make(Math.round(400 * Math.sqrt(target / probe.length)));
}

async function upload(server: Server, cookie: string, roomId: string, name: string, body: Buffer): Promise<{ id: string }> {
	const response = await fetch(`${server.url}/api/rooms/${roomId}/files?name=${encodeURIComponent(name)}`, {
		method: 'POST',
		headers: { origin: server.url, cookie },
		body: new Uint8Array(body)
	});
	const text = await response.text();
	if (response.status !== 201) throw new Error(`uploading ${name} answered ${response.status}: ${text}`);
	return JSON.parse(text) as { id: string };
}

const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-upload-'));
const server = await startServer(dataDir, { SFU: 'off', FILE_SIZE_LIMIT: String(Math.max(25 * MB, BIG_BYTES)), UPLOADS_PER_MINUTE: '10000', UPLOAD_BYTES_PER_HOUR: String(10_000 * MB) });
try {
	const { json, cookies } = await call(server, 'POST', '/api/auth/sign-up/email', { name: 'Uploader', email: 'uploader@parley.test', password: 'upload benchmark 1' });
	const cookie = cookies.map((c) => c.split(';')[0]).find((c) => c.includes('session_token='));
	if (!cookie) throw new Error(`sign-up set no session cookie: ${JSON.stringify(json)}`);
	const room = (await call(server, 'POST', '/api/rooms', { name: 'Uploads' }, cookie)).json as { id: string };

	// The images first (their making is not timed), so that sharp is loaded and warm for both runs.
	const images = await Promise.all(Array.from({ length: IMAGES }, (_, i) => noiseImage(i % 2 ? 'jpeg' : 'png', IMAGE_BYTES)));
	const big = randomBytes(BIG_BYTES);

	const pid = server.child.pid!;
	const before = rss(pid);
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 5);
	const bigStart = performance.now();
	await upload(server, cookie, room.id, 'big.bin', big).finally(() => clearInterval(sampler));
	const bigMs = performance.now() - bigStart;
	peak = Math.max(peak, rss(pid));

	const thumbMs: number[] = [];
	const imagesStart = performance.now();
	for (const [i, image] of images.entries()) {
		const started = performance.now();
		const { id } = await upload(server, cookie, room.id, `image-${i}.${i % 2 ? 'jpg' : 'png'}`, image);
		for (;;) {
			const thumbnail = await fetch(`${server.url}/api/files/${id}/thumbnail`, { headers: { cookie } });
			await thumbnail.arrayBuffer();
			if (thumbnail.status === 200) break;
			if (performance.now() - started > 30_000) throw new Error(`no thumbnail for image ${i}: ${thumbnail.status}`);
		}
		thumbMs.push(performance.now() - started);
	}
	const imagesMs = performance.now() - imagesStart;
	const imageBytes = images.reduce((sum, b) => sum + b.length, 0);

	console.log(
		JSON.stringify({
			name: 'upload',
			big_mb: BIG_BYTES / MB,
			upload_mb_per_s: Math.round((BIG_BYTES / MB / (bigMs / 1000)) * 10) / 10,
			big_upload_ms: Math.round(bigMs),
			rss_growth_bytes: peak - before,
			server_rss_before_bytes: before,
			thumbnail_p50_ms: Math.round(percentile(thumbMs, 0.5)),
			thumbnail_p95_ms: Math.round(percentile(thumbMs, 0.95)),
			images: IMAGES,
			image_mean_bytes: Math.round(imageBytes / IMAGES),
			images_mb_per_s: Math.round((imageBytes / MB / (imagesMs / 1000)) * 10) / 10
		})
	);
} finally {
	await stopServer(server);
	rmSync(dataDir, { recursive: true, force: true });
}
