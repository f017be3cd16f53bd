import { describe, expect, it } from 'vitest';
import { compareMessageKeys, newMessageKey, parseMessageKey, parseReactionKey, reactionKey } from './message-key.ts';

describe('message keys', () => {
	it('carry the author and the time they were written', () => {
		const key = newMessageKey('user123', Date.UTC(2026, 10, 21, 9, 30));
		expect(key).toMatch(/^user123:[0-9A-HJKMNP-TV-Z]{26}$/);
		expect(parseMessageKey(key)).toEqual({ authorId: 'user123', ulid: key.split(':')[1], time: Date.UTC(2026, 10, 21, 9, 30) });
	});

	it.each(['', 'nocolon', ':01J0000000000000000000000', 'user:not-a-ulid', 'user:01j5z5x0z1aaaaaaaaaaaaaaaa', 'a|b:01J5Z5X0Z1AAAAAAAAAAAAAAAA'])('rejects %j', (key) => {
		expect(parseMessageKey(key)).toBeNull();
	});

	it('order by the time written, whoever wrote them, the same way everywhere', () => {
		const t = Date.UTC(2026, 0, 1);
		const early = newMessageKey('zed', t);
		const later = newMessageKey('amy', t + 1000);
		const latest = newMessageKey('bob', t + 60_000);
		const shuffled = [latest, early, later];
		expect([...shuffled].sort(compareMessageKeys)).toEqual([early, later, latest]);
		expect([...shuffled].reverse().sort(compareMessageKeys)).toEqual([early, later, latest]);
	});

	it('written in the same millisecond by one client keep their order', () => {
		const t = Date.UTC(2026, 0, 1);
		const keys = Array.from({ length: 50 }, () => newMessageKey('amy', t));
		expect([...keys].reverse().sort(compareMessageKeys)).toEqual(keys);
	});
});

describe('reaction keys', () => {
	it('round-trip', () => {
		const message = newMessageKey('amy');
		expect(parseReactionKey(reactionKey(message, 'bob', '👍'))).toEqual({ messageKey: message, userId: 'bob', emoji: '👍' });
	});

	it.each(['a|b', 'amy:bad|bob|👍', `${'amy:01J5Z5X0Z1AAAAAAAAAAAAAA'}||👍`, 'x|y|z|w'])('rejects %j', (key) => {
		expect(parseReactionKey(key)).toBeNull();
	});
});
