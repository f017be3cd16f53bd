/**
 * A long press by touch or pen on an element (a Svelte action): `callback` runs once the finger has stayed
 * still for LONG_PRESS_MS. Moving it, scrolling (the browser cancels the pointer) or lifting it before then is
 * not a long press. A mouse never makes one: it has the hover toolbar and the right button.
 */
export const LONG_PRESS_MS = 500;
/** How far a finger may wander and still be pressing, not scrolling. */
const SLOP_PX = 10;
/** Controls and media keep their own long press (a slider is dragged, a video has its menu). */
const OWN_GESTURES = 'input, textarea, select, audio, video, [role="slider"]';

export function longPress(node: HTMLElement, callback: () => void) {
	let onpress = callback;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let pointer = -1;
	let startX = 0;
	let startY = 0;
	let fired = false;

	function stop() {
		clearTimeout(timer);
		timer = undefined;
		pointer = -1;
		window.removeEventListener('pointermove', move, true);
		window.removeEventListener('pointerup', end, true);
		window.removeEventListener('pointercancel', end, true);
	}

	function fire() {
		clearTimeout(timer);
		timer = undefined;
		fired = true;
		onpress();
	}

	function down(event: PointerEvent) {
		if (event.pointerType === 'mouse' || !event.isPrimary) return;
		if ((event.target as Element).closest(OWN_GESTURES)) return;
		stop();
		fired = false;
		pointer = event.pointerId;
		startX = event.clientX;
		startY = event.clientY;
		timer = setTimeout(fire, LONG_PRESS_MS);
		// The finger may end its press anywhere (over the sheet it opened): listen on the window.
		window.addEventListener('pointermove', move, true);
		window.addEventListener('pointerup', end, true);
		window.addEventListener('pointercancel', end, true);
	}

	function move(event: PointerEvent) {
		if (event.pointerId !== pointer || !timer) return;
		if (Math.hypot(event.clientX - startX, event.clientY - startY) > SLOP_PX) stop();
	}

	function end(event: PointerEvent) {
		if (event.pointerId !== pointer) return;
		// Lifting the finger after a long press is not a tap on what lies under it.
		if (fired) {
			window.addEventListener('click', swallow, { capture: true, once: true });
			setTimeout(() => window.removeEventListener('click', swallow, true), 400);
		}
		stop();
	}

	function swallow(event: MouseEvent) {
		event.preventDefault();
		event.stopPropagation();
	}

	// The browser's own long press (Chrome on Android opens a context menu, or selects text): the press is ours.
	function contextmenu(event: Event) {
		if (pointer === -1 && !fired) return;
		event.preventDefault();
		if (timer) fire();
	}

	node.addEventListener('pointerdown', down);
	node.addEventListener('contextmenu', contextmenu);
	return {
		update(next: () => void) {
			onpress = next;
		},
		destroy() {
			stop();
			node.removeEventListener('pointerdown', down);
			node.removeEventListener('contextmenu', contextmenu);
		}
	};
}
