import { describe, expect, it } from 'vitest';
import { newMessageKey, reactionKey } from './message-key.ts';
import { documentName, parseDocumentName, periodOf, periodOfEntry, periodStart, nextPeriod, previousPeriod } from './period.ts';

describe('periods', () => {
	it('are UTC calendar months', () => {
		expect(periodOf(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe('2026-12');
		expect(periodOf(Date.UTC(2027, 0, 1))).toBe('2027-01');
		expect(periodStart('2027-01')).toBe(Date.UTC(2027, 0, 1));
		expect(previousPeriod('2027-01')).toBe('2026-12');
		expect(previousPeriod('2026-03')).toBe('2026-02');
		expect(nextPeriod('2026-12')).toBe('2027-01');
		expect(nextPeriod('2027-01')).toBe('2027-02');
	});

	it('place a message by the time in its key, and a reaction with its message', () => {
		const key = newMessageKey('alice', Date.UTC(2026, 8, 30, 23, 0));
		expect(periodOfEntry('messages', key)).toBe('2026-09');
		expect(periodOfEntry('reactions', reactionKey(key, 'bob', '👍'))).toBe('2026-09');
		expect(periodOfEntry('messages', 'not a key')).toBeNull();
		expect(periodOfEntry('other', key)).toBeNull();
	});

	it('name documents and read the names back', () => {
		expect(documentName('r1')).toBe('r1');
		expect(documentName('r1', '2026-12')).toBe('r1/2026-12');
		expect(parseDocumentName('r1')).toEqual({ roomId: 'r1', period: '' });
		expect(parseDocumentName('r1/2026-12')).toEqual({ roomId: 'r1', period: '2026-12' });
		for (const bad of ['', 'r1/2026-13', 'r1/26-01', '/2026-01', 'r1/2026-01/x', 'r1/']) expect(parseDocumentName(bad)).toBeNull();
	});
});
