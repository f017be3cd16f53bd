import { describe, expect, it } from 'vitest';
import { listTime, timeOfDay } from './dates.ts';

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

describe('listTime', () => {
	const now = new Date(2026, 11, 3, 15, 0).getTime();
	it('is the time today, the weekday this week, the day this year and the full date before', () => {
		expect(listTime(new Date(2026, 11, 3, 9, 5).getTime(), now, 'en')).toBe('9:05 AM');
		expect(listTime(new Date(2026, 11, 2, 23, 59).getTime(), now, 'en')).toBe('Wed');
		expect(listTime(new Date(2026, 10, 27, 8, 0).getTime(), now, 'ru')).toBe('пт');
		expect(listTime(new Date(2026, 10, 26, 8, 0).getTime(), now, 'en')).toBe('Nov 26');
		expect(listTime(new Date(2026, 10, 26, 8, 0).getTime(), now, 'ru')).toBe('26 нояб.');
		expect(listTime(new Date(2025, 0, 5).getTime(), now, 'en')).toBe('Jan 5, 2025');
	});
});
