import { describe, expect, it } from 'vitest';
import { fileKind, fileSize, fitInside } from './sizes.ts';

describe('fileSize', () => {
	it('uses the unit that fits, in the language’s own way', () => {
		expect(fileSize(512, 'en')).toBe('512 byte');
		expect(fileSize(1536, 'en')).toBe('1.5 kB');
		expect(fileSize(25 * 1024 * 1024, 'en')).toBe('25 MB');
		expect(fileSize(1536 * 1024, 'ru')).toBe('1,5 МБ');
	});
});

describe('fileKind', () => {
	it('says the extension, else the type', () => {
		expect(fileKind('report.final.pdf', 'application/pdf')).toBe('PDF');
		expect(fileKind('README', 'application/octet-stream')).toBe('');
		expect(fileKind('clip', 'video/webm')).toBe('WEBM');
	});
});

describe('fitInside', () => {
	it('keeps the shape within the box and never enlarges', () => {
		expect(fitInside(4000, 3000, 320)).toEqual({ width: 320, height: 240 });
		expect(fitInside(1000, 4000, 320)).toEqual({ width: 80, height: 320 });
		expect(fitInside(100, 50, 320)).toEqual({ width: 100, height: 50 });
		expect(fitInside(undefined, undefined, 320)).toEqual({ width: 320, height: 240 });
	});
});
