/**
 * Short messages shown at the top of the page after something happened elsewhere (e.g. removed from
 * a room). One stays for the page it was shown on and the one it leads to (a removal sends the
 * person to the lobby), and goes at the next navigation after that: by then it no longer applies.
 */
class Notices {
	message = $state('');
	#pagesLeft = 0;

	show(message: string) {
		this.message = message;
		this.#pagesLeft = 2;
	}

	/** A navigation happened (see +layout.svelte). */
	navigated() {
		if (this.message && --this.#pagesLeft <= 0) this.dismiss();
	}

	dismiss() {
		this.message = '';
	}
}

export const notices = new Notices();

/** Calls ringing for this person while Parley is open: shown as a banner with Join and Decline. */
class Ringing {
	calls = $state<{ roomId: string; caller: string; room: string }[]>([]);

	ring(roomId: string, caller: string, room: string) {
		this.calls = [...this.calls.filter((c) => c.roomId !== roomId), { roomId, caller, room }];
	}

	stop(roomId: string) {
		this.calls = this.calls.filter((c) => c.roomId !== roomId);
	}
}

export const ringing = new Ringing();
