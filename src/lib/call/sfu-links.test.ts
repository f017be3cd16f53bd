import { describe, expect, it } from 'vitest';
import { layerForHeight } from './sfu-links.ts';

describe('simulcast layer choice', () => {
	it('asks for the layer that fits the tile: high for big tiles, low for thumbnails', () => {
		expect(layerForHeight(480)).toBe(2);
		expect(layerForHeight(300)).toBe(2);
		expect(layerForHeight(200)).toBe(1);
		expect(layerForHeight(90)).toBe(0);
	});
});
