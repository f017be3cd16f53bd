import { describe, expect, it } from 'vitest';
import { mergeHits } from './merge-hits.ts';
import type { SearchHit } from './schemas.ts';

const hit = (roomId: string, key: string, createdAt: number, snippet: string, names: Partial<SearchHit> = {}): SearchHit => ({
	roomId,
	key,
	createdAt,
	snippet,
	authorId: 'ann',
	roomName: '',
	authorName: '',
	...names
});

describe('mergeHits', () => {
	it('keeps each message once (the device’s text, the server’s names), newest first, up to the limit', () => {
		const device = [hit('a', 'k2', 20, 'edited here'), hit('a', 'k1', 10, 'old')];
		const server = [hit('b', 'k3', 30, 'other room', { roomName: 'B' }), hit('a', 'k2', 20, 'before the edit', { roomName: 'A', authorName: 'Ann' })];
		expect(mergeHits(device, server, 10)).toEqual([
			hit('b', 'k3', 30, 'other room', { roomName: 'B' }),
			hit('a', 'k2', 20, 'edited here', { roomName: 'A', authorName: 'Ann' }),
			hit('a', 'k1', 10, 'old')
		]);
		expect(mergeHits(device, server, 2).map((h) => h.key)).toEqual(['k3', 'k2']);
	});
});
