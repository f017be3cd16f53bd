import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webPush from 'web-push';
import { z } from 'zod';

export type Secrets = {
	authSecret: string;
	vapidPublicKey: string;
	vapidPrivateKey: string;
	janusAdminKey: string;
	janusTokenSecret: string;
};

/** How secrets are made when the environment does not give them; a group (a key pair) is made and given together. */
const groups: { fields: (keyof Secrets)[]; make: () => Partial<Secrets> }[] = [
	{ fields: ['authSecret'], make: () => ({ authSecret: randomBytes(32).toString('base64url') }) },
	{ fields: ['janusAdminKey'], make: () => ({ janusAdminKey: randomBytes(24).toString('base64url') }) },
	{ fields: ['janusTokenSecret'], make: () => ({ janusTokenSecret: randomBytes(24).toString('base64url') }) },
	{
		fields: ['vapidPublicKey', 'vapidPrivateKey'],
		make: () => {
			const keys = webPush.generateVAPIDKeys();
			return { vapidPublicKey: keys.publicKey, vapidPrivateKey: keys.privateKey };
		}
	}
];

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
	const secrets: Partial<Secrets> = {};
	for (const { fields, make } of groups) {
		if (fields.every((f) => given[f])) {
			for (const f of fields) secrets[f] = given[f];
			continue;
		}
		if (!fields.every((f) => stored[f])) {
			Object.assign(stored, make());
			changed = true;
		}
		for (const f of fields) secrets[f] = stored[f];
	}
	if (changed) {
		const tmp = `${file}.tmp`;
		writeFileSync(tmp, JSON.stringify(stored, null, '\t') + '\n', { mode: 0o600 });
		renameSync(tmp, file);
	}
	return secrets as Secrets;
}
