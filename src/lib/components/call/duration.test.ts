import { expect, test } from 'vitest';
import { formatDuration } from './duration.ts';

test('a call length reads mm:ss under an hour and h:mm:ss after', () => {
	expect(formatDuration(0)).toBe('00:00');
	expect(formatDuration(7_900)).toBe('00:07');
	expect(formatDuration(12 * 60_000 + 3_000)).toBe('12:03');
	expect(formatDuration(3_600_000 + 2 * 60_000 + 3_000)).toBe('1:02:03');
	expect(formatDuration(-5)).toBe('00:00');
});
