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
