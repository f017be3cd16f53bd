import { EventEmitter } from 'node:events';

/** What changed in a room, and who must hear of it. */
export type RoomChange = {
	roomId: string;
	kind: 'created' | 'renamed' | 'deleted' | 'member-added' | 'member-removed' | 'role-changed' | 'activity' | 'invited' | 'invitation-ended' | 'ban-lifted' | 'ringing' | 'ring-ended' | 'ring-declined' | 'timeline';
	/** Users whose view of the room or of their room list changed (current and former members). */
	notify: string[];
	/** Users who lost access to the room: their live connections to it must be cut. */
	revoked: string[];
	/** Who did it, when the people told need to know (e.g. who declined a call). */
	by?: string;
	/** Names to show with it (e.g. "Ann is calling" in "Team"), so a client need not look them up. */
	names?: { by: string; room: string };
};

/**
 * The in-process bus for room changes. The events stream tells each affected person;
 * live services (sync, calls) listen to cut access the moment it is revoked.
 */
export class RoomEvents {
	#emitter = new EventEmitter().setMaxListeners(0);

	emit(change: RoomChange): void {
		this.#emitter.emit('change', change);
	}

	/** Every change; returns the function that stops listening. */
	onChange(listener: (change: RoomChange) => void): () => void {
		this.#emitter.on('change', listener);
		return () => this.#emitter.off('change', listener);
	}

	/** Called once when the server shuts down, so long-lived streams can end. */
	onClose(listener: () => void): () => void {
		this.#emitter.once('close', listener);
		return () => this.#emitter.off('close', listener);
	}

	close(): void {
		this.#emitter.emit('close');
	}

	/** Changes that concern one user. */
	forUser(userId: string, listener: (change: RoomChange) => void): () => void {
		return this.onChange((change) => {
			if (change.notify.includes(userId)) listener(change);
		});
	}
}
