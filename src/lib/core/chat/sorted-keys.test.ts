import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { compareMessageKeys } from './message-key.ts';
import { SortedKeys } from './sorted-keys.ts';

const key = (author: string, time: number) => `${author}:${ulid(time)}`;

describe('SortedKeys', () => {
	it('keeps keys in message order through adds and removes, ignoring duplicates', () => {
		const base = Date.UTC(2026, 0, 1);
		const all = Array.from({ length: 200 }, (_, i) => key(`u${i % 7}`, base + ((i * 7919) % 1000) * 1000));
		const sorted = new SortedKeys(all.slice(0, 50));
		for (const k of all.slice(50)) sorted.add(k);
		sorted.add(all[3]);
		for (const k of all.slice(0, 20)) sorted.remove(k);
		sorted.remove('not:there');
		expect(sorted.keys).toEqual(all.slice(20).sort(compareMessageKeys));
	});
});
