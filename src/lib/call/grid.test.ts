import { describe, expect, it } from 'vitest';
import { chooseLayout } from './grid.ts';

const name = (tiles: number, width: number) => {
	const layout = chooseLayout(tiles, width);
	return layout.kind === 'grid' ? layout.layout.name : 'spotlight';
};

describe('chooseLayout', () => {
	it.each([
		[1, 360, '1x1'],
		[2, 360, '1x2'],
		[2, 1280, '2x1'],
		[3, 360, '2x2'],
		[4, 1280, '2x2'],
		[5, 360, '2x3'],
		[6, 1280, '3x2'],
		[9, 1280, '3x3'],
		[12, 1280, '4x4'],
		[0, 800, '1x1']
	])('%i tiles at %i px → %s', (tiles, width, expected) => {
		expect(name(tiles, width)).toBe(expected);
	});

	it('features a shared screen with everyone else beside it', () => {
		expect(chooseLayout(4, 1280, 'screen:ann')).toEqual({ kind: 'spotlight', featured: 'screen:ann', others: 3 });
	});

	it('features the tile the person pinned, over a shared screen; alone in the call, there is nothing to pin it over', () => {
		expect(chooseLayout(3, 1280, undefined, 'bob')).toEqual({ kind: 'spotlight', featured: 'bob', others: 2 });
		expect(chooseLayout(4, 1280, 'screen:ann', 'bob')).toEqual({ kind: 'spotlight', featured: 'bob', others: 3 });
		expect(chooseLayout(1, 1280, undefined, 'local').kind).toBe('grid');
	});
});
