import { describe, expect, it } from 'vitest';
import { lossBetween, scoreQuality } from './quality.ts';

describe('scoreQuality', () => {
	it.each([
		[{ rttSeconds: 0.05, lossFraction: 0, bitrateBps: 600_000, expectVideo: true }, 'good'],
		[{ rttSeconds: 0.3, lossFraction: 0 }, 'fair'],
		[{ rttSeconds: 0.05, lossFraction: 0.05 }, 'fair'],
		[{ rttSeconds: 0.05, lossFraction: 0, bitrateBps: 100_000, expectVideo: true }, 'fair'],
		[{ rttSeconds: 0.05, lossFraction: 0, bitrateBps: 100_000, expectVideo: false }, 'good'],
		[{ rttSeconds: 0.8 }, 'poor'],
		[{ lossFraction: 0.2 }, 'poor'],
		[{ bitrateBps: 10_000, expectVideo: true }, 'poor'],
		[{}, 'unknown']
	] as const)('%o → %s', (sample, expected) => {
		expect(scoreQuality(sample)).toBe(expected);
	});
});

describe('lossBetween', () => {
	it('is the share of packets lost since the last reading', () => {
		expect(lossBetween({ lost: 10, received: 1000 }, { lost: 20, received: 1090 })).toBeCloseTo(0.1);
		expect(lossBetween({ lost: 5, received: 100 }, { lost: 5, received: 100 })).toBe(0);
	});
});
