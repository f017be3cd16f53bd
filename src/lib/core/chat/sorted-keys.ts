import { compareMessageKeys } from './message-key.ts';

/** Message keys kept in display order as they come and go, without re-sorting the whole room. */
export class SortedKeys {
	#keys: string[] = [];

	constructor(keys: Iterable<string> = []) {
		this.#keys = [...keys].sort(compareMessageKeys);
	}

	get keys(): readonly string[] {
		return this.#keys;
	}

	#position(key: string): number {
		let low = 0;
		let high = this.#keys.length;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (compareMessageKeys(this.#keys[mid], key) < 0) low = mid + 1;
			else high = mid;
		}
		return low;
	}

	add(key: string): void {
		const at = this.#position(key);
		if (this.#keys[at] !== key) this.#keys.splice(at, 0, key);
	}

	remove(key: string): void {
		const at = this.#position(key);
		if (this.#keys[at] === key) this.#keys.splice(at, 1);
	}
}
