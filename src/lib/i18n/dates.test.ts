import { describe, expect, it } from 'vitest';
import { timeOfDay } from './dates.ts';

describe('timeOfDay', () => {
	const evening = new Date(2026, 10, 21, 21, 37).getTime();
	const morning = new Date(2026, 10, 21, 9, 5).getTime();
	it('is 12-hour without a leading zero in English, 24-hour in Russian', () => {
		expect(timeOfDay(evening, 'en')).toBe('9:37 PM');
		expect(timeOfDay(morning, 'en')).toBe('9:05 AM');
		expect(timeOfDay(evening, 'ru')).toBe('21:37');
		expect(timeOfDay(morning, 'ru')).toBe('9:05');
	});
});
