import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecrets, SECRETS_FILE } from './secrets.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'parley-secrets-'));

describe('loadSecrets', () => {
	it('generates missing secrets into a file only the owner can read', () => {
		const dir = freshDir();
		const secrets = loadSecrets(dir);
		expect(secrets.authSecret).toMatch(/^[\w-]{43}$/);
		const file = join(dir, SECRETS_FILE);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(secrets);
		expect(secrets.vapidPublicKey).toMatch(/^[\w-]{87}$/);
		expect(secrets.vapidPrivateKey).toMatch(/^[\w-]{43}$/);
	});

	it('reuses the same secrets on a second start', () => {
		const dir = freshDir();
		const first = loadSecrets(dir);
		const second = loadSecrets(dir);
		expect(second).toEqual(first);
	});

	it('prefers secrets from the environment and does not store them', () => {
		const dir = freshDir();
		const given = { authSecret: 'g'.repeat(40), vapidPublicKey: 'pub', vapidPrivateKey: 'priv', janusAdminKey: 'a'.repeat(20), janusTokenSecret: 't'.repeat(20) };
		expect(loadSecrets(dir, given)).toEqual(given);
		expect(() => readFileSync(join(dir, SECRETS_FILE))).toThrow();
	});

	it('takes a key pair from the environment only when both halves are given', () => {
		const dir = freshDir();
		const secrets = loadSecrets(dir, { vapidPublicKey: 'only-half' });
		expect(secrets.vapidPublicKey).not.toBe('only-half');
	});

	it('tightens the mode of an existing secrets file', () => {
		const dir = freshDir();
		writeFileSync(join(dir, SECRETS_FILE), JSON.stringify({ authSecret: 's'.repeat(43), vapidPublicKey: 'p', vapidPrivateKey: 'q', janusAdminKey: 'a', janusTokenSecret: 't' }), { mode: 0o644 });
		expect(loadSecrets(dir).authSecret).toBe('s'.repeat(43));
		expect(statSync(join(dir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
	});

	it('explains a damaged secrets file', () => {
		const dir = freshDir();
		writeFileSync(join(dir, SECRETS_FILE), '[1,2]');
		expect(() => loadSecrets(dir)).toThrow(/secrets.json is not a JSON object of strings/);
	});
});
