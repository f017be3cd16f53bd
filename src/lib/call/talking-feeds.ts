import type { PublisherInfo } from './sfu-session.ts';

/**
 * Who is talking on the SFU, by publisher id, as Janus said it and in the order it said it: from
 * publisher lists ('joined', 'event') and `talking`/`stopped-talking` events. Events only say when
 * it changes, and can come before we know whose feed an id is (while our own publish is still
 * being negotiated), so nothing Janus says is dropped and a list read later cannot undo a newer event.
 */
export class TalkingFeeds {
	readonly #byId = new Map<number, boolean>();

	/** A message on a publisher handle; true when it said something about talking. */
	hear(message: { videoroom?: string; id?: number; publishers?: PublisherInfo[] }): boolean {
		if (message.videoroom === 'talking' || message.videoroom === 'stopped-talking') {
			if (typeof message.id !== 'number') return false;
			this.#byId.set(message.id, message.videoroom === 'talking');
			return true;
		}
		let heard = false;
		for (const p of message.publishers ?? []) {
			if (typeof p.talking !== 'boolean') continue;
			this.#byId.set(p.id, p.talking);
			heard = true;
		}
		return heard;
	}

	is(id: number): boolean {
		return this.#byId.get(id) ?? false;
	}

	forget(id: number) {
		this.#byId.delete(id);
	}
}
