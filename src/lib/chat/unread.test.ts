import { describe, expect, it } from 'vitest';
import { firstUnread, newSince, rememberedRead, rememberRead } from './unread.ts';

const me = 'me';
// Keys sort by their ULID part; these stand-ins sort by their number, as real ones do by time.
const key = (author: string, n: number) => `${author}:01J${String(n).padStart(23, '0')}`;
const message = (author: string, n: number, pending = false) => ({ key: key(author, n), authorId: author, createdAt: n * 1000, pending });

describe('firstUnread', () => {
	const messages = [message('ann', 1), message(me, 2), message('ann', 3), message(me, 4), message('bob', 5)];

	it('is the first message by someone else written after the last read', () => {
		expect(firstUnread(messages, 2500, me)).toBe(key('ann', 3));
		expect(firstUnread(messages, 0, me)).toBe(key('ann', 1));
	});

	it('skips my own messages, even unread-looking ones', () => {
		expect(firstUnread(messages, 3500, me)).toBe(key('bob', 5));
	});

	it('is none when everything was read', () => {
		expect(firstUnread(messages, 5000, me)).toBeUndefined();
		expect(firstUnread([], 0, me)).toBeUndefined();
	});
});

describe('newSince', () => {
	const messages = [message('ann', 1), message('ann', 2), message(me, 3), message('bob', 4), message('ann', 5)];

	it("counts others' messages after the one seen last", () => {
		expect(newSince(messages, key('ann', 2), me)).toBe(2);
		expect(newSince(messages, key('ann', 5), me)).toBe(0);
		expect(newSince(messages, key('ann', 0), me)).toBe(4);
	});
});

describe('rememberRead', () => {
	it('keeps the latest time read per room', () => {
		const store = new Map<string, string>();
		const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
		expect(rememberedRead('r1', storage)).toBe(0);
		rememberRead('r1', 5000, storage);
		rememberRead('r1', 3000, storage);
		expect(rememberedRead('r1', storage)).toBe(5000);
		expect(rememberedRead('r2', storage)).toBe(0);
	});
});
