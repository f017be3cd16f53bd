import { startServer } from './server.ts';

/** One built server for the whole run, on a free port with a fresh DATA_DIR; workers read its URL from the environment. */
export default async function globalSetup() {
	const server = await startServer({ SIGNIN_RATE_LIMIT: '1000', ROOM_CREATE_RATE_LIMIT: '100000', SFU: 'off' });
	process.env.PARLEY_BASE_URL = server.url;
	process.env.PARLEY_DATA_DIR = server.dataDir;
	return async () => {
		await server.stop();
	};
}
