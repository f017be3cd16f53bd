import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** In `vite dev`, build the same server context and WebSocket routes that `npm start` builds. */
function parleyDevServer(): Plugin {
	return {
		name: 'parley-dev-server',
		apply: 'serve',
		async configureServer(server) {
			if (process.env.VITEST) return;
			const { parseConfig } = await import('./src/lib/server/config.ts');
			const { createParley } = await import('./server/app.ts');
			const { routeUpgrade } = await import('./server/upgrade.ts');
			const parley = createParley(parseConfig(process.env));
			server.httpServer?.on('upgrade', (req, socket, head) => {
				if (req.headers['sec-websocket-protocol'] === 'vite-hmr') return;
				routeUpgrade(parley.upgradeRoutes, req, socket, head, parley.context.log);
			});
		}
	};
}

export default defineConfig({
	plugins: [
		parleyDevServer(),
		sveltekit({
			adapter: adapter({ precompress: true }),
			csp: {
				mode: 'auto',
				directives: {
					'default-src': ['self'],
					'script-src': ['self'],
					'style-src': ['self', 'unsafe-inline'],
					'img-src': ['self', 'data:', 'blob:'],
					'media-src': ['self', 'blob:'],
					'connect-src': ['self'],
					'worker-src': ['self'],
					'manifest-src': ['self'],
					'object-src': ['none'],
					'base-uri': ['self'],
					'form-action': ['self'],
					'frame-ancestors': ['none']
				}
			}
		})
	],
	test: {
		include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'sync/**/*.test.ts', 'signal/**/*.test.ts', 'sfu/**/*.test.ts']
	}
});
