import { mkdirSync, writeFileSync } from 'node:fs';
import { startServer } from './server.ts';

/** One built server for the whole run, on a free port with a fresh DATA_DIR; workers read its URL from the environment. */
export default async function globalSetup() {
	// Specs subscribe made-up push endpoints (push.invalid) that are never reached; push-security.spec.ts runs the default address checks on its own server.
	const server = await startServer({ SIGNIN_RATE_LIMIT: '1000', ROOM_CREATE_RATE_LIMIT: '100000', SFU: 'off', PUSH_ALLOW_PRIVATE_ENDPOINTS: '1' });
	process.env.PARLEY_BASE_URL = server.url;
	process.env.PARLEY_DATA_DIR = server.dataDir;
	let stopping = false;
	// If the shared server dies mid-run, every later test fails with "connection refused": say why, loudly.
	server.process.on('exit', (code, signal) => {
		if (stopping) return;
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/shared-server.log', server.output());
		console.error(`\nThe shared test server exited (code ${code}, signal ${signal}). Its output is in test-results/shared-server.log; last lines:\n${server.output().split('\n').slice(-30).join('\n')}`);
	});
	return async () => {
		stopping = true;
		await server.stop();
	};
}
