import { describe, expect, it } from 'vitest';
import { keyStep, stepIndex, swipeStep, viewerMedia } from './viewer-navigation.ts';

describe('viewer navigation', () => {
	it('moves within the list without wrapping', () => {
		expect(stepIndex(0, -1, 5)).toBe(0);
		expect(stepIndex(0, 1, 5)).toBe(1);
		expect(stepIndex(4, 1, 5)).toBe(4);
		expect(stepIndex(3, -1, 5)).toBe(2);
		expect(stepIndex(7, 0, 3)).toBe(2);
		expect(stepIndex(0, 1, 0)).toBe(0);
	});

	it('reads a swipe: left is next, right is previous, short or vertical is nothing', () => {
		expect(swipeStep(-80, 10)).toBe(1);
		expect(swipeStep(80, -10)).toBe(-1);
		expect(swipeStep(-30, 0)).toBe(0);
		expect(swipeStep(-80, 120)).toBe(0);
		expect(swipeStep(60, 60)).toBe(0);
	});

	it('reads arrow keys, in reading order for right-to-left text', () => {
		expect(keyStep('ArrowRight')).toBe(1);
		expect(keyStep('ArrowLeft')).toBe(-1);
		expect(keyStep('Enter')).toBe(0);
		expect(keyStep('ArrowRight', true)).toBe(-1);
	});

	it('shows images and videos, and anything else as a file to download', () => {
		expect(viewerMedia('image/webp')).toBe('image');
		expect(viewerMedia('video/mp4')).toBe('video');
		expect(viewerMedia('application/pdf')).toBe('other');
	});
});
