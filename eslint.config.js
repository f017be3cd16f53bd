import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/**
 * Where code runs decides what it may use. Four kinds of folder:
 * - shared cores (`src/lib/core/`): pure rules the browser and the server both run — no DOM,
 *   no Node, nothing from outside the core but its libraries (yjs, lib0, zod, ulid);
 * - browser code (the rest of `src/`, minus the server parts SvelteKit runs): browser globals,
 *   and never an import of server code;
 * - server code (`src/lib/server/`, SvelteKit's `*.server.ts` and `+server.ts`, `server/`,
 *   `sync/`, `signal/`, `sfu/`): Node globals, no browser ones;
 * - the Node services (`server/`, `sync/`, `signal/`, `sfu/`) never import SvelteKit routes.
 */
const SERVER_IN_SRC = ['src/lib/server/**', 'src/http-ece.d.ts', 'src/hooks.server.ts', 'src/routes/**/+*.server.ts', 'src/routes/**/+server.ts'];
const NODE_SERVICES = ['server/**', 'sync/**', 'signal/**', 'sfu/**'];
const CORE = ['src/lib/core/**'];

/** Globals in `these` and not in `those`. */
const onlyIn = (these, those) => Object.keys(these).filter((name) => !(name in those));
const forbidGlobals = (names, why) => ({ 'no-restricted-globals': ['error', ...names.map((name) => ({ name, message: `\`${name}\` ${why}.` }))] });
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const serverCode = {
	regex: '(^#lib/|^\\$app/|/)server(/|$)',
	message: 'Browser code never imports server code: it reaches the server through its HTTP and WebSocket API.'
};
const nodeBuiltins = { regex: '^node:', message: 'Node built-ins are for server code only.' };

export default ts.config(
	{ ignores: ['build/', 'src/lib/paraglide/', '.svelte-kit/', '.tools/', 'data/', 'test-results/', 'playwright-report/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } }
	},
	{
		rules: {
			// TypeScript (svelte-check) already knows which globals exist, DOM types included;
			// which ones each folder may use is below.
			'no-undef': 'off',
			// Parley is always served at the root of its origin (no paths.base), so plain hrefs are right.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
		}
	},
	// Globals per kind of folder: each may use only what exists where it runs.
	{ files: ['src/**'], ignores: [...SERVER_IN_SRC, ...CORE, '**/*.test.ts'], rules: forbidGlobals(onlyIn(globals.node, globals.browser), 'is Node-only; this is browser code') },
	{ files: [...SERVER_IN_SRC, ...NODE_SERVICES], ignores: ['**/*.test.ts'], rules: forbidGlobals(onlyIn(globals.browser, globals.node), 'is browser-only; this is server code') },
	{ files: CORE, ignores: ['**/*.test.ts'], rules: forbidGlobals(onlyIn({ ...globals.browser, ...globals.node }, globals.es2025), 'is not in a shared core, which runs in the browser and on the server alike') },
	// Imports per kind of folder.
	{ files: ['src/**'], ignores: [...SERVER_IN_SRC, ...CORE, '**/*.test.ts'], rules: restrict(serverCode, nodeBuiltins) },
	{
		files: CORE,
		ignores: ['**/*.test.ts'],
		rules: restrict(serverCode, nodeBuiltins, {
			regex: '^(#lib/(?!core/)|\\.\\./\\.\\./|\\$app/|svelte)',
			message: 'A shared core imports only other cores and its libraries, so the browser and the server run the same rules.'
		})
	},
	{
		files: NODE_SERVICES,
		rules: restrict({ regex: '(^|/)src/routes/|^\\$app/|\\.svelte$', message: 'The Node services never import SvelteKit routes or components.' })
	}
);
