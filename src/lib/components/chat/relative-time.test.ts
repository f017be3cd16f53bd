import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time.ts';

describe('relativeTime', () => {
	const now = Date.UTC(2026, 10, 21, 12);
	it.each([
		[now - 10_000, 'just now'],
		[now - 5 * 60_000, '5 minutes ago'],
		[now - 3 * 3600_000, '3 hours ago'],
		[now - 24 * 3600_000, 'yesterday'],
		[now - 14 * 24 * 3600_000, '2 weeks ago']
	])('%i → %s', (then, text) => {
		expect(relativeTime(then, now, 'en')).toBe(text);
	});

	it.each([
		[now - 10_000, 'только что'],
		[now - 5 * 60_000, '5 минут назад'],
		[now - 2 * 3600_000, '2 часа назад'],
		[now - 21 * 60_000, '21 минуту назад'],
		[now - 24 * 3600_000, 'вчера']
	])('ru: %i → %s', (then, text) => {
		expect(relativeTime(then, now, 'ru')).toBe(text);
	});
});
