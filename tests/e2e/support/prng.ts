/** A seeded pseudo-random generator (mulberry32): the same seed gives the same cases on every run. */
export function prng(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number) => Math.floor(next() * n);
	return {
		int,
		chance: (p: number) => next() < p,
		pick: <T>(items: readonly T[]): T => items[int(items.length)],
		bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)))
	};
}

export type Random = ReturnType<typeof prng>;
