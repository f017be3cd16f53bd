import { describe, expect, it } from 'vitest';
import { evictions, fileCacheDecision, fitsCache, usedBytes, type CachedFile } from './file-cache-policy.ts';

const file = (url: string, size: number, lastUsed: number): CachedFile => ({ url, size, lastUsed });

describe('evictions', () => {
	it('keeps everything that fits', () => {
		expect(evictions([file('a', 40, 1), file('b', 60, 2)], 100)).toEqual([]);
	});

	it('drops the least recently used first, only as many as needed', () => {
		const entries = [file('new', 50, 30), file('old', 30, 10), file('mid', 30, 20)];
		expect(evictions(entries, 80)).toEqual(['old']);
		expect(evictions(entries, 50)).toEqual(['old', 'mid']);
	});

	it('a file used again is kept over one used less recently', () => {
		const before = [file('a', 60, 1), file('b', 60, 2)];
		expect(evictions(before, 100)).toEqual(['a']);
		const touched = [file('a', 60, 3), file('b', 60, 2)];
		expect(evictions(touched, 100)).toEqual(['b']);
	});

	it('counts bytes, not entries: one big file can push out many small ones', () => {
		const entries = [file('s1', 10, 1), file('s2', 10, 2), file('s3', 10, 3), file('big', 90, 4)];
		expect(evictions(entries, 100)).toEqual(['s1', 's2']);
		expect(usedBytes(entries)).toBe(120);
	});

	it('orders ties by URL so the choice is stable', () => {
		expect(evictions([file('b', 10, 5), file('a', 10, 5)], 10)).toEqual(['a']);
	});

	it('never keeps a file bigger than the whole bound', () => {
		expect(fitsCache(101, 100)).toBe(false);
		expect(fitsCache(100, 100)).toBe(true);
	});
});

describe('fileCacheDecision', () => {
	it('stores a fresh copy and answers with it', () => {
		expect(fileCacheDecision(200, false)).toEqual({ answer: 'network', store: true, drop: false });
		expect(fileCacheDecision(200, true)).toEqual({ answer: 'network', store: true, drop: false });
	});

	it('serves the cached copy when the server says it has not changed', () => {
		expect(fileCacheDecision(304, true)).toEqual({ answer: 'cached', store: false, drop: false });
	});

	it('falls back to the cached copy only when the server cannot answer', () => {
		expect(fileCacheDecision('offline', true).answer).toBe('cached');
		expect(fileCacheDecision(503, true).answer).toBe('cached');
		expect(fileCacheDecision('offline', false).answer).toBe('network');
	});

	it('a refusal online is final: the cached copy is not served and is deleted', () => {
		for (const status of [401, 403, 404, 410]) expect(fileCacheDecision(status, true)).toEqual({ answer: 'network', store: false, drop: true });
		expect(fileCacheDecision(404, false).drop).toBe(false);
		expect(fileCacheDecision(400, true)).toEqual({ answer: 'network', store: false, drop: false });
	});
});
