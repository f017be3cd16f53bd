/** Short messages shown at the top of the page after something happened elsewhere (e.g. removed from a room). */
class Notices {
	message = $state('');

	show(message: string) {
		this.message = message;
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
