/** What the file viewer shows and where a key or a swipe takes it; pure, so its rules are tested. */

/** One file in the viewer: full-size and thumbnail URLs, name for the caption, type to pick image or video. */
export interface ViewerItem {
	url: string;
	thumbUrl?: string;
	name: string;
	type: string;
	width?: number;
	height?: number;
}

export type ViewerMedia = 'image' | 'video' | 'other';

/** How the viewer shows a file of this type. */
export function viewerMedia(type: string): ViewerMedia {
	if (type.startsWith('image/')) return 'image';
	if (type.startsWith('video/')) return 'video';
	return 'other';
}

/** The index after moving `step` (−1 back, +1 on) from `index` in `count` files: stays within the list, no wrapping. */
export function stepIndex(index: number, step: number, count: number): number {
	if (count <= 0) return 0;
	return Math.min(count - 1, Math.max(0, index + step));
}

/** A horizontal swipe at least this long (CSS px) moves to the next or previous file. */
export const SWIPE_MIN_PX = 50;

/**
 * The step a pointer gesture means: +1 for a swipe to the left (next file), −1 to the right
 * (previous), 0 when it was too short or more vertical than horizontal (a scroll or a tap).
 */
export function swipeStep(dx: number, dy: number, minPx = SWIPE_MIN_PX): -1 | 0 | 1 {
	if (Math.abs(dx) < minPx || Math.abs(dx) <= Math.abs(dy)) return 0;
	return dx < 0 ? 1 : -1;
}

/** The step a key means: ArrowRight / ArrowLeft, reversed for right-to-left text so "next" stays in reading order. */
export function keyStep(key: string, rtl = false): -1 | 0 | 1 {
	const step = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0;
	return (rtl ? -step : step) as -1 | 0 | 1;
}
