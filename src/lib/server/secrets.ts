import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** How each secret is made when the environment does not give it. */
const generators = {
	authSecret: () => randomBytes(32).toString('base64url')
} satisfies Record<string, () => string>;

export type Secrets = { [K in keyof typeof generators]: string };

const storedSchema = z.record(z.string(), z.string());

export const SECRETS_FILE = 'secrets.json';

/**
 * Returns every secret: from `given` (the environment) when set, otherwise from
 * `<dataDir>/secrets.json`, generating and saving (mode 600) the ones missing there,
 * so a second start reuses the first start's secrets.
 */
export function loadSecrets(dataDir: string, given: Partial<Secrets> = {}): Secrets {
	const file = join(dataDir, SECRETS_FILE);
	let stored: Record<string, string> = {};
	if (existsSync(file)) {
		const parsed = storedSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
		if (!parsed.success) throw new Error(`${file} is not a JSON object of strings; fix or remove it (a new one is generated)`);
		stored = parsed.data;
		chmodSync(file, 0o600);
	}
	let changed = false;
	const secrets = {} as Secrets;
	for (const [name, generate] of Object.entries(generators) as [keyof Secrets, () => string][]) {
		const fromEnv = given[name];
		if (fromEnv) {
			secrets[name] = fromEnv;
			continue;
		}
		if (!stored[name]) {
			stored[name] = generate();
			changed = true;
		}
		secrets[name] = stored[name];
	}
	if (changed) {
		const tmp = `${file}.tmp`;
		writeFileSync(tmp, JSON.stringify(stored, null, '\t') + '\n', { mode: 0o600 });
		renameSync(tmp, file);
	}
	return secrets;
}
