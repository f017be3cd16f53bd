import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import { decideTopology, MESH_AGAIN_AFTER_MS, MESH_ONLY_LIMIT, type Topology } from './topology.ts';

const mesh: Topology = { mode: 'mesh' };

/** Feeds a sequence of membership counts (with times) through the decider. */
function run(events: [number, number][], sfu = true) {
	let topology: Topology = mesh;
	const switches: string[] = [];
	for (const [now, count] of events) {
		const decision = decideTopology(topology, count, now, sfu);
		if (decision.changed) switches.push(`${now}:${decision.topology.mode}`);
		topology = decision.topology;
	}
	return { topology, switches };
}

describe('decideTopology', () => {
	it('stays mesh up to four and moves to the SFU with the fifth', () => {
		expect(run([[0, 1], [1, 2], [2, 3], [3, 4]]).topology.mode).toBe('mesh');
		expect(run([[0, 4], [1, 5]]).switches).toEqual(['1:sfu']);
	});

	it('goes back to mesh only after 30 s at three or fewer, and not when people come back in time', () => {
		expect(run([[0, 5], [10, 3], [10 + MESH_AGAIN_AFTER_MS - 1, 3]]).topology.mode).toBe('sfu');
		expect(run([[0, 5], [10, 3], [10 + MESH_AGAIN_AFTER_MS, 3]]).switches).toEqual(['0:sfu', `${10 + MESH_AGAIN_AFTER_MS}:mesh`]);
		// Dropping to three, then four again, restarts the wait.
		expect(run([[0, 5], [10, 3], [20_000, 4], [25_000, 3], [25_000 + MESH_AGAIN_AFTER_MS - 1, 2]]).topology.mode).toBe('sfu');
	});

	it('ends in mesh when everyone leaves', () => {
		expect(run([[0, 6], [5, 0]]).switches).toEqual(['0:sfu', '5:mesh']);
	});

	it('without an SFU keeps mesh and admits up to six', () => {
		expect(decideTopology(mesh, 6, 0, false)).toEqual({ topology: mesh, changed: false, admit: true });
		expect(decideTopology(mesh, MESH_ONLY_LIMIT + 1, 0, false).admit).toBe(false);
	});

	it('under racing joins and leaves: decided on the settled membership, never flapping', () => {
		const rng = prng.create(7);
		for (let trial = 0; trial < 200; trial++) {
			// Bursts of simultaneous joins and leaves; the server coalesces each burst and decides once.
			let count = 0;
			const events: [number, number][] = [];
			for (let t = 0; t < 60; t++) {
				const deltas = Array.from({ length: prng.uint32(rng, 1, 4) }, () => (prng.bool(rng) ? 1 : -1));
				count = Math.max(0, count + deltas.reduce((a, b) => a + b, 0));
				events.push([t * 4000, count]);
			}
			const { switches } = run(events);
			// Back to mesh only after 30 s on the SFU at three or fewer, or when the call emptied.
			for (let i = 1; i < switches.length; i++) {
				const [at, mode] = switches[i].split(':');
				if (mode !== 'mesh') continue;
				const sfuAt = Number(switches[i - 1].split(':')[0]);
				const emptied = events.find(([time, c]) => time === Number(at) && c === 0);
				expect(Number(at) - sfuAt >= MESH_AGAIN_AFTER_MS || emptied, `trial ${trial}: ${switches.join(' ')}`).toBeTruthy();
			}
		}
	});
});
