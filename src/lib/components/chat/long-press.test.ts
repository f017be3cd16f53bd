import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LONG_PRESS_MS, LongPress, SLOP_PX } from './long-press.ts';

const touch = (clientX = 100, clientY = 100, pointerId = 1, more: Partial<{ pointerType: string; isPrimary: boolean }> = {}) => ({ pointerId, pointerType: 'touch', isPrimary: true, clientX, clientY, ...more });

describe('LongPress', () => {
	let pressed: ReturnType<typeof vi.fn<() => void>>;
	let press: LongPress;
	beforeEach(() => {
		vi.useFakeTimers();
		pressed = vi.fn<() => void>();
		press = new LongPress(pressed);
	});
	afterEach(() => vi.useRealTimers());

	it('fires once a finger has stayed down long enough, and its lifting is not a tap', () => {
		expect(press.down(touch())).toBe(true);
		vi.advanceTimersByTime(LONG_PRESS_MS - 1);
		expect(pressed).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1);
		expect(pressed).toHaveBeenCalledTimes(1);
		expect(press.pressing).toBe(true);
		expect(press.end(touch())).toBe(true);
		expect(press.pressing).toBe(false);
	});

	it('a tap is not a long press', () => {
		press.down(touch());
		vi.advanceTimersByTime(120);
		expect(press.end(touch())).toBe(false);
		vi.advanceTimersByTime(LONG_PRESS_MS * 2);
		expect(pressed).not.toHaveBeenCalled();
	});

	it('moving the finger (scrolling) cancels it; a tremble does not', () => {
		press.down(touch(100, 100));
		press.move(touch(100 + SLOP_PX - 3, 102));
		vi.advanceTimersByTime(LONG_PRESS_MS);
		expect(pressed).toHaveBeenCalledTimes(1);
		press.end(touch());

		press.down(touch(100, 100));
		press.move(touch(100, 100 + SLOP_PX + 1));
		vi.advanceTimersByTime(LONG_PRESS_MS * 2);
		expect(pressed).toHaveBeenCalledTimes(1);
		expect(press.pressing).toBe(false);
	});

	it('the browser taking the pointer (pointercancel, as a scroll starts) cancels it', () => {
		press.down(touch());
		vi.advanceTimersByTime(200);
		expect(press.end(touch())).toBe(false);
		vi.advanceTimersByTime(LONG_PRESS_MS);
		expect(pressed).not.toHaveBeenCalled();
	});

	it('a mouse, or a second finger, never starts one', () => {
		expect(press.down(touch(0, 0, 1, { pointerType: 'mouse' }))).toBe(false);
		expect(press.down(touch(0, 0, 2, { isPrimary: false }))).toBe(false);
		vi.advanceTimersByTime(LONG_PRESS_MS * 2);
		expect(pressed).not.toHaveBeenCalled();
	});

	it('another pointer moving or lifting does not touch the press', () => {
		press.down(touch(100, 100, 1));
		press.move(touch(300, 300, 2));
		expect(press.end(touch(0, 0, 2))).toBe(false);
		vi.advanceTimersByTime(LONG_PRESS_MS);
		expect(pressed).toHaveBeenCalledTimes(1);
	});

	it('the browser saying it is a long press (its context menu) fires it at once, only once', () => {
		press.down(touch());
		vi.advanceTimersByTime(300);
		press.fire();
		vi.advanceTimersByTime(LONG_PRESS_MS);
		press.fire();
		expect(pressed).toHaveBeenCalledTimes(1);
	});
});
