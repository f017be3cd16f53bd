import { describe, expect, it } from 'vitest';
import { formatBytes, formatWhen } from './format.ts';

describe('formatBytes', () => {
	it('counts in 1024s and shows one decimal below ten', () => {
		expect(formatBytes(0, 'en')).toBe('0 bytes');
		expect(formatBytes(532, 'en')).toBe('532 bytes');
		expect(formatBytes(1536, 'en')).toBe('1.5 kB');
		expect(formatBytes(50 * 1024 * 1024, 'en')).toBe('50 MB');
		expect(formatBytes(3 * 1024 ** 3, 'en')).toBe('3 GB');
	});

	it('speaks Russian', () => {
		expect(formatBytes(1536, 'ru')).toMatch(/^1,5\sкБ$/i);
	});
});

describe('formatWhen', () => {
	it('shows the date and the time of day', () => {
		expect(formatWhen(Date.UTC(2026, 11, 2, 15, 4), 'en')).toMatch(/2026/);
	});
});
