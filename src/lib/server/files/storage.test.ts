import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { FsStorage, TooLarge } from './storage.ts';
import { sniffType } from './sniff.ts';

const dirs: string[] = [];
const storage = () => {
	const dir = mkdtempSync(join(tmpdir(), 'parley-files-'));
	dirs.push(dir);
	return new FsStorage(dir);
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('FsStorage', () => {
	it('stores bytes under their sha256 and gives them back', async () => {
		const s = storage();
		const stored = await s.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
		expect(stored).toEqual({ hash: createHash('sha256').update('hello world').digest('hex'), size: 11 });
		expect(await s.exists(stored.hash)).toBe(true);
		expect(await text((await s.get(stored.hash))!)).toBe('hello world');
	});

	it('stores the same bytes once', async () => {
		const s = storage();
		const a = await s.put(Readable.from([Buffer.from('same')]));
		const b = await s.put(Readable.from([Buffer.from('same')]));
		expect(a).toEqual(b);
		expect(readdirSync(join(s.root, a.hash.slice(0, 2)))).toEqual([a.hash.slice(2)]);
	});

	it('refuses a stream past the limit and keeps nothing of it', async () => {
		const s = storage();
		await expect(s.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 })).rejects.toBeInstanceOf(TooLarge);
		expect(readdirSync(s.root)).toEqual(['tmp']);
		expect(readdirSync(join(s.root, 'tmp'))).toEqual([]);
	});

	it('deletes, and answers "not there" for unknown or malformed hashes', async () => {
		const s = storage();
		const { hash } = await s.put(Readable.from([Buffer.from('gone')]));
		await s.delete(hash);
		expect(await s.exists(hash)).toBe(false);
		expect(await s.get(hash)).toBeUndefined();
		expect(await s.exists('../../etc/passwd')).toBe(false);
	});
});

describe('sniffType', () => {
	it('judges by the bytes, not the name', () => {
		expect(sniffType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
		expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
		expect(sniffType(Buffer.from('<html><script>alert(1)</script>'))).toBe('application/octet-stream');
		expect(sniffType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'))).toBe('application/octet-stream');
	});
});

describe('FsStorage.putFile', () => {
	it('moves a measured local file into place, without a copy left behind', async () => {
		const s = storage();
		const local = join(s.root, 'incoming-file');
		mkdirSync(s.root, { recursive: true });
		writeFileSync(local, 'measured bytes');
		const hash = createHash('sha256').update('measured bytes').digest('hex');
		await s.putFile(local, { hash, size: 14 });
		expect(existsSync(local)).toBe(false);
		expect(await text((await s.get(hash))!)).toBe('measured bytes');
	});
});

describe('FsStorage.discardPartial', () => {
	it('removes half-written puts begun before the given time, and keeps later ones', async () => {
		const s = storage();
		const tmp = join(s.root, 'tmp');
		mkdirSync(tmp, { recursive: true });
		writeFileSync(join(tmp, 'old'), 'cut off');
		const past = new Date(Date.now() - 60_000);
		utimesSync(join(tmp, 'old'), past, past);
		writeFileSync(join(tmp, 'current'), 'being written');
		await s.discardPartial(Date.now() - 1000);
		expect(readdirSync(tmp)).toEqual(['current']);
	});
});
