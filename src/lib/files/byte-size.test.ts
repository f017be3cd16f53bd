import { describe, expect, it } from 'vitest';
import { formatBytes } from './byte-size.ts';

describe('formatBytes', () => {
	it('picks the unit and keeps a decimal only for small values', () => {
		expect(formatBytes(0, 'en')).toBe('0 kB');
		expect(formatBytes(512, 'en')).toBe('0.5 kB');
		expect(formatBytes(20 * 1024, 'en')).toBe('20 kB');
		expect(formatBytes(3.44 * 1024, 'en')).toBe('3.4 kB');
		expect(formatBytes(200 * 1024 * 1024, 'en')).toBe('200 MB');
		expect(formatBytes(1.25 * 1024 ** 3, 'en')).toBe('1.3 GB');
	});

	it('speaks the interface language', () => {
		expect(formatBytes(200 * 1024 * 1024, 'ru')).toBe('200 МБ');
		expect(formatBytes(1.5 * 1024 * 1024, 'ru')).toBe('1,5 МБ');
	});
});
