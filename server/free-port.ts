import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now (for child processes: Janus, coturn, test servers). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer().listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}
