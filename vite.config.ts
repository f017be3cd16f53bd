/// <reference types="vitest/config" />
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { CSP_DIRECTIVES } from './src/lib/server/csp.ts';

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
			const { handleUpload, uploadRoom } = await import('./server/upload.ts');
			const parley = createParley(parseConfig(process.env));
			// Uploads stream to disk before SvelteKit (and its body limit) sees them, as in server/main.ts.
			server.middlewares.use((req, res, next) => {
				const roomId = uploadRoom(req);
				if (roomId === undefined) return next();
				handleUpload(req, res, roomId, parley.context).catch(next);
			});
			server.httpServer?.on('upgrade', (req, socket, head) => {
				if (req.headers['sec-websocket-protocol'] === 'vite-hmr') return;
				routeUpgrade(parley.upgradeRoutes, req, socket, head, parley.context.log);
			});
		}
	};
}

export default defineConfig({
	plugins: [
		// Compiles messages/*.json to tree-shaken functions in src/lib/paraglide, as `npm run messages` does
		// (same options). Parley picks the locale itself (src/lib/i18n/): no cookie, URL or navigator strategy.
		paraglideVitePlugin({ project: './project.inlang', outdir: './src/lib/paraglide', strategy: ['custom-parley', 'baseLocale'], emitReadme: false, emitPrettierIgnore: false }),
		parleyDevServer(),
		// SvelteKit 3 has no PWA integration of its own that fits; the service worker is built
		// straight into Kit's client output, which adapter-node then copies to build/client.
		...VitePWA({
			strategies: 'injectManifest',
			srcDir: 'src',
			filename: 'sw.ts',
			outDir: '.svelte-kit/output/client',
			injectRegister: false,
			manifest: false,
			injectManifest: {
				globDirectory: '.svelte-kit/output/client',
				globPatterns: ['_app/immutable/**/*.{js,css}', '*.{svg,png,ico,html,webmanifest}'],
				maximumFileSizeToCacheInBytes: 3 * 1024 * 1024
			}
		}).map((plugin) => ({ ...plugin, applyToEnvironment: (environment: { name: string }) => environment.name === 'client' })),
		sveltekit({
			adapter: adapter({ precompress: true }),
			csp: { mode: 'auto', directives: CSP_DIRECTIVES }
		})
	],
	test: {
		include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'sync/**/*.test.ts', 'signal/**/*.test.ts', 'sfu/**/*.test.ts']
	}
});
