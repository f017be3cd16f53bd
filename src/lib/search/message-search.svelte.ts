import { queryTerms } from '../core/search/search-text.ts';
import { apiCall } from '../rooms/api-client.ts';
import type { DeviceSearchIndex } from './device-index.ts';
import { mergeHits } from './merge-hits.ts';
import type { SearchAnswer, SearchHit } from './schemas.ts';
import { readNames, rememberPeople, rememberRooms } from './search-names.ts';

/** Most results shown from the device (the server says its own bound). */
const DEVICE_LIMIT = 50;

export type SearchPhase = 'idle' | 'searching' | 'done';

/**
 * One search box's state: each query is looked up on the device (every room document here,
 * read once per box) and, when online, on the server; the answers are merged. `incomplete`
 * says only the device was searched (offline, or the server failed: `serverError`).
 */
export class MessageSearchState {
	#phase = $state<SearchPhase>('idle');
	#hits = $state.raw<SearchHit[]>([]);
	#query = $state('');
	#incomplete = $state(false);
	#serverError = $state('');
	#limit = $state(DEVICE_LIMIT);
	#device: Promise<DeviceSearchIndex> | undefined;
	#run = 0;

	get phase() {
		return this.#phase;
	}
	get hits() {
		return this.#hits;
	}
	get query() {
		return this.#query;
	}
	get incomplete() {
		return this.#incomplete;
	}
	get serverError() {
		return this.#serverError;
	}
	/** Whether there may be more matches than shown. */
	get capped() {
		return this.#hits.length >= this.#limit;
	}

	async search(query: string): Promise<void> {
		const run = ++this.#run;
		const terms = queryTerms(query);
		if (!terms.length) {
			this.#phase = 'idle';
			this.#hits = [];
			this.#query = '';
			return;
		}
		this.#phase = 'searching';
		const [device, server] = await Promise.all([this.#searchDevice(terms), this.#searchServer(query)]);
		if (run !== this.#run) return;
		this.#query = query.trim();
		this.#incomplete = !server.ok;
		this.#serverError = server.ok ? '' : server.error;
		this.#limit = server.ok ? server.limit : DEVICE_LIMIT;
		this.#hits = mergeHits(device, server.ok ? server.hits : [], this.#limit);
		this.#phase = 'done';
	}

	async #searchDevice(terms: string[]): Promise<SearchHit[]> {
		// Yjs and IndexedDB come with the first search, not with every page that has a search box (the lobby).
		this.#device ??= import('./device-search.ts').then((module) => module.loadDeviceIndex());
		const index = await this.#device.catch(() => undefined);
		if (!index) return [];
		const names = readNames();
		const memberOf = names.memberOf;
		return index
			.search(
				terms,
				DEVICE_LIMIT,
				(roomId) => !memberOf || memberOf.includes(roomId),
				(userId) => names.people[userId],
				Object.entries(names.people)
			)
			.map((found) => ({ ...found, roomName: names.rooms[found.roomId] ?? '', authorName: names.people[found.authorId] ?? '' }));
	}

	/** The server's answer; offline, `error` is empty and nothing is asked. */
	async #searchServer(query: string): Promise<({ ok: true } & SearchAnswer) | { ok: false; error: string }> {
		if (!navigator.onLine) return { ok: false, error: '' };
		const answer = await apiCall<SearchAnswer>('GET', `/api/search?q=${encodeURIComponent(query)}`);
		if (!answer.ok) return { ok: false, error: answer.status === 0 ? '' : answer.error };
		rememberRooms(
			answer.data.hits.map((hit) => ({ id: hit.roomId, name: hit.roomName })),
			false
		);
		rememberPeople(answer.data.hits.filter((hit) => hit.authorName).map((hit) => ({ userId: hit.authorId, name: hit.authorName })));
		return { ok: true, ...answer.data };
	}
}
