import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The folder boundaries in eslint.config.js, proven on code that breaks them: each case is
 * linted as if it were a file at `path`, and must be refused by the named rule.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(path: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath: path });
	return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

// The first lint loads ESLint's whole configuration (typescript-eslint, svelte): seconds on a busy machine.
describe('folder boundaries', { timeout: 60_000 }, () => {
	it.each([
		['src/lib/chat/x.ts', "import { getContext } from '#lib/server/context.ts';\nexport const c = getContext;"],
		['src/lib/call/x.ts', "import { parseConfig } from '../server/config.ts';\nexport const c = parseConfig;"],
		['src/routes/rooms/x.ts', "import { createParley } from '../../../server/app.ts';\nexport const c = createParley;"],
		['src/lib/components/chat/X.svelte', "<script lang=\"ts\">\n\timport { getContext } from '#lib/server/context.ts';\n\tconst c = getContext;\n</script>\n{c}"]
	])('browser code (%s) never imports server code', async (path, code) => {
		expect(await problems(path, code)).toEqual([expect.stringMatching(/^no-restricted-imports: .*Browser code never imports server code/)]);
	});

	it('server code may import server code', async () => {
		expect(await problems('src/routes/api/x/+server.ts', "import { getContext } from '#lib/server/context.ts';\nexport const c = getContext;")).toEqual([]);
	});

	it.each(['sync/x.ts', 'sfu/x.ts', 'signal/x.ts', 'server/x.ts'])('%s never imports SvelteKit routes', async (path) => {
		const code = "import { load } from '../src/routes/+page.server.ts';\nexport const l = load;";
		expect(await problems(path, code)).toEqual([expect.stringMatching(/^no-restricted-imports: .*The Node services never import SvelteKit routes/)]);
	});

	it('a shared core imports only cores and its libraries', async () => {
		const code = "import * as Y from 'yjs';\nimport { MESSAGES } from '../chat/schema.ts';\nimport { grid } from '#lib/call/grid.ts';\nexport const all = [Y, MESSAGES, grid];";
		expect(await problems('src/lib/core/call/x.ts', code)).toEqual([expect.stringMatching(/^no-restricted-imports: .*A shared core imports only other cores/)]);
	});

	it('globals belong to where the code runs', async () => {
		expect(await problems('src/lib/chat/x.ts', 'export const v = process.env.X;')).toEqual([expect.stringMatching(/^no-restricted-globals: .*`process` is Node-only/)]);
		expect(await problems('sync/x.ts', 'export const t = () => document.title;')).toEqual([expect.stringMatching(/^no-restricted-globals: .*`document` is browser-only/)]);
		expect(await problems('src/lib/core/chat/x.ts', 'export const s = () => localStorage.length;')).toEqual([
			expect.stringMatching(/^no-restricted-globals: .*`localStorage` is not in a shared core/)
		]);
		expect(await problems('src/lib/core/chat/x.ts', "import { createHash } from 'node:crypto';\nexport const h = createHash;")).toEqual([
			expect.stringMatching(/^no-restricted-imports: .*Node built-ins are for server code only/)
		]);
	});
});
