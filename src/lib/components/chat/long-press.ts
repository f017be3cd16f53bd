/**
 * A long press by touch or pen: the finger stays still for LONG_PRESS_MS. Moving it, scrolling (the browser
 * cancels the pointer) or lifting it before then is not a long press. A mouse never makes one: it has the
 * hover toolbar. `LongPress` is the rule, without the DOM; `longPress` is the Svelte action that feeds it.
 */
export const LONG_PRESS_MS = 500;
/** How far a finger may wander and still be pressing, not scrolling. */
export const SLOP_PX = 10;
/** Controls and media keep their own long press (a slider is dragged, a video has its menu). */
const OWN_GESTURES = 'input, textarea, select, audio, video, [role="slider"]';

type Pointer = { pointerId: number; pointerType: string; isPrimary: boolean; clientX: number; clientY: number };
type Timers = { set: (run: () => void, ms: number) => unknown; clear: (timer: unknown) => void };

export class LongPress {
	#timer: unknown;
	#pointer = -1;
	#x = 0;
	#y = 0;
	#fired = false;

	#onpress: () => void;
	#timers: Timers;

	constructor(onpress: () => void, timers: Timers = { set: (run, ms) => setTimeout(run, ms), clear: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>) }) {
		this.#onpress = onpress;
		this.#timers = timers;
	}

	/** Whether a press is being held (and so the browser's own long press, its context menu, is not wanted). */
	get pressing(): boolean {
		return this.#pointer !== -1;
	}

	/** A finger down: true when it starts a press (to follow its moves and its end). */
	down(event: Pointer): boolean {
		if (event.pointerType === 'mouse' || !event.isPrimary) return false;
		this.#stop();
		this.#fired = false;
		this.#pointer = event.pointerId;
		this.#x = event.clientX;
		this.#y = event.clientY;
		this.#timer = this.#timers.set(() => this.fire(), LONG_PRESS_MS);
		return true;
	}

	move(event: Pointer) {
		if (event.pointerId !== this.#pointer || this.#timer === undefined) return;
		if (Math.hypot(event.clientX - this.#x, event.clientY - this.#y) > SLOP_PX) this.#stop();
	}

	/** The finger lifted, or the browser took it to scroll: true when it was a long press (the tap that ends it is none). */
	end(event: Pick<Pointer, 'pointerId'>): boolean {
		if (event.pointerId !== this.#pointer) return false;
		const fired = this.#fired;
		this.#stop();
		return fired;
	}

	/** The press is long now (the timer ran out, or the browser said so with its context menu). */
	fire() {
		if (this.#timer === undefined) return;
		this.#timers.clear(this.#timer);
		this.#timer = undefined;
		this.#fired = true;
		this.#onpress();
	}

	#stop() {
		if (this.#timer !== undefined) this.#timers.clear(this.#timer);
		this.#timer = undefined;
		this.#pointer = -1;
	}

	destroy() {
		this.#stop();
	}
}

/** The Svelte action: `use:longPress={callback}` on the element pressed. */
export function longPress(node: HTMLElement, callback: () => void) {
	let onpress = callback;
	const press = new LongPress(() => onpress());

	function follow(on: boolean) {
		// The finger may end its press anywhere (over the sheet it opened): listen on the window.
		for (const [type, listener] of [['pointermove', move], ['pointerup', end], ['pointercancel', end]] as const) {
			if (on) window.addEventListener(type, listener, true);
			else window.removeEventListener(type, listener, true);
		}
	}

	function down(event: PointerEvent) {
		if ((event.target as Element).closest(OWN_GESTURES)) return;
		if (press.down(event)) follow(true);
	}

	function move(event: PointerEvent) {
		press.move(event);
		if (!press.pressing) follow(false);
	}

	function end(event: PointerEvent) {
		const wasLong = press.end(event);
		if (press.pressing) return;
		follow(false);
		// Lifting the finger after a long press is not a tap on what lies under it.
		if (wasLong) {
			window.addEventListener('click', swallow, { capture: true, once: true });
			setTimeout(() => window.removeEventListener('click', swallow, true), 400);
		}
	}

	function swallow(event: MouseEvent) {
		event.preventDefault();
		event.stopPropagation();
	}

	// The browser's own long press (Chrome on Android opens a context menu, or selects text): the press is ours.
	function contextmenu(event: Event) {
		if (!press.pressing) return;
		event.preventDefault();
		press.fire();
	}

	node.addEventListener('pointerdown', down);
	node.addEventListener('contextmenu', contextmenu);
	return {
		update(next: () => void) {
			onpress = next;
		},
		destroy() {
			press.destroy();
			follow(false);
			node.removeEventListener('pointerdown', down);
			node.removeEventListener('contextmenu', contextmenu);
		}
	};
}
