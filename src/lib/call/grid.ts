/**
 * Call layout as data, chosen by one pure function (after livekit's GRID_LAYOUTS):
 * the grid for a number of tiles and a screen width, or a spotlight when a screen is shared.
 */
export type GridLayout = { name: string; columns: number; rows: number; minTiles: number; maxTiles: number; minWidth: number };

export const GRID_LAYOUTS: readonly GridLayout[] = [
	{ name: '1x1', columns: 1, rows: 1, minTiles: 1, maxTiles: 1, minWidth: 0 },
	{ name: '1x2', columns: 1, rows: 2, minTiles: 2, maxTiles: 2, minWidth: 0 },
	{ name: '2x1', columns: 2, rows: 1, minTiles: 2, maxTiles: 2, minWidth: 560 },
	{ name: '2x2', columns: 2, rows: 2, minTiles: 3, maxTiles: 4, minWidth: 0 },
	{ name: '3x2', columns: 3, rows: 2, minTiles: 5, maxTiles: 6, minWidth: 720 },
	{ name: '2x3', columns: 2, rows: 3, minTiles: 5, maxTiles: 6, minWidth: 0 },
	{ name: '3x3', columns: 3, rows: 3, minTiles: 7, maxTiles: 9, minWidth: 560 },
	{ name: '4x4', columns: 4, rows: 4, minTiles: 10, maxTiles: 16, minWidth: 720 }
];

export type CallLayout = { kind: 'grid'; layout: GridLayout } | { kind: 'spotlight'; featured: string; others: number };

/**
 * The widest layout that fits the tiles on this screen; a tile the person pinned, else a shared screen,
 * is featured with the others in a strip.
 */
export function chooseLayout(tiles: number, width: number, sharedScreen?: string, pinned?: string): CallLayout {
	const featured = pinned ?? sharedScreen;
	if (featured && tiles > 1) return { kind: 'spotlight', featured, others: tiles - 1 };
	const count = Math.max(1, tiles);
	const fitting = GRID_LAYOUTS.filter((l) => count >= l.minTiles && count <= l.maxTiles && width >= l.minWidth);
	// Among the layouts for this many tiles, the one made for the widest screen that this one reaches.
	const layout = fitting.reduce<GridLayout | undefined>((best, l) => (!best || l.minWidth > best.minWidth ? l : best), undefined) ?? GRID_LAYOUTS.at(-1)!;
	return { kind: 'grid', layout };
}
