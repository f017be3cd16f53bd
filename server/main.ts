import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, parseConfig, type Config } from '../src/lib/server/config.ts';
import { StartupError } from '../src/lib/server/db.ts';
import { logOutput } from '../src/lib/server/log.ts';
import { createParley, ROOT, VERSION, type Parley } from './app.ts';
import { answerClientError, HOST_HEADER, MAX_BODY_BYTES, prepareRequest, PROTOCOL_HEADER, sendJson, serveMetrics } from './http.ts';
import { routeUpgrade } from './upgrade.ts';
import { handleUpload, uploadRoom } from './upload.ts';

const SHUTDOWN_GRACE_MS = 5000;

function fail(error: unknown): never {
	if (error instanceof ConfigError || error instanceof StartupError) {
		console.error(`parley: ${error.message}`);
		process.exit(1);
	}
	throw error;
}

let config: Config;
let parley: Parley;
let logs: ReturnType<typeof logOutput>;
try {
	config = parseConfig(process.env);
	logs = logOutput(config.logFile);
	parley = createParley(config, { writeLog: logs.write });
} catch (error) {
	fail(error);
}
const { log, metrics } = parley.context;

// adapter-node reads these when its handler is imported.
process.env.BODY_SIZE_LIMIT = String(MAX_BODY_BYTES);
process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
process.env.HOST_HEADER = HOST_HEADER;
// BUILD_DIR serves another build than ./build (e.g. a release unpacked elsewhere).
const buildDir = resolve(process.env.BUILD_DIR ?? join(ROOT, 'build'));
const { handler } = await import(pathToFileURL(join(buildDir, 'handler.js')).href).catch((error) => {
	fail(new StartupError(`No build found in ${buildDir} (${(error as Error).message}). Run \`npm run build\` first.`));
});
const serviceWorkerFile = join(buildDir, 'client', 'sw.js');

function serve(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
	const uploadTo = uploadRoom(req);
	// An upload streams to disk within its own limit (Files); everything else is held to 1 MB.
	if (!prepareRequest(req, res, config, uploadTo === undefined ? MAX_BODY_BYTES : Infinity)) return;
	if (req.url === '/healthz') return sendJson(res, 200, { ok: true, version: VERSION });
	// Without a token /metrics is not there at all: SvelteKit answers 404 as for any unknown path.
	if (config.metricsToken && req.url?.split('?')[0] === '/metrics') return serveMetrics(req, res, config.metricsToken, metrics);
	// The service worker is read fresh and never cached, so browsers see a new version as soon as it is deployed.
	if (req.url === '/sw.js' && req.method === 'GET' && existsSync(serviceWorkerFile)) {
		res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'service-worker-allowed': '/' });
		createReadStream(serviceWorkerFile).pipe(res);
		return;
	}
	if (uploadTo !== undefined) return handleUpload(req, res, uploadTo, parley.context);
	return handler(req, res);
}

const server = createServer((req, res) => {
	res.on('finish', () => metrics.httpResponses.inc({ status: String(res.statusCode) }));
	// Whatever a request makes the server throw (or reject with) ends that request, never the process.
	const failed = (error: unknown) => {
		log.error('request.failed', { method: req.method, path: req.url?.split('?')[0].slice(0, 200), error });
		if (res.headersSent) return void res.destroy();
		try {
			sendJson(res, 500, { error: 'Parley could not handle that request. Try again in a moment.' });
		} catch {
			res.destroy();
		}
	};
	try {
		const handled = serve(req, res);
		if (handled instanceof Promise) handled.catch(failed);
	} catch (error) {
		failed(error);
	}
});
server.on('upgrade', (req, socket, head) => routeUpgrade(parley.upgradeRoutes, req, socket, head, log));
server.on('clientError', (error: NodeJS.ErrnoException, socket) => answerClientError(error, socket, log));
// Not a way to survive a bug (the process still ends): the last words are a JSON log line like every other.
process.on('uncaughtExceptionMonitor', (error, origin) => log.error('process.crashed', { origin, error }));

server.listen(config.port, config.host, () => {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	const url = config.origin ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
	log.info('server.listening', { host: config.host, port, url, version: VERSION, dataDir: config.dataDir });
	// For people: where to go, in plain words, as the last line before the JSON log.
	process.stdout.write(`Parley ${VERSION} is running at ${url}  (Ctrl+C to stop)\n`);
	logs.release();
});
server.on('error', (error) => {
	fail(new StartupError(`Cannot listen on ${config.host}:${config.port}: ${error.message}. Set HOST/PORT to a free address.`));
});

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	log.info('server.stopping', { signal });
	const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
	force.unref();
	const closed = new Promise<void>((resolve) => server.close(() => resolve()));
	parley.context.events.close();
	await parley.closeSockets();
	server.closeIdleConnections();
	await closed;
	await parley.close();
	log.info('server.stopped', { signal });
	process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
