import { describe, expect, it } from 'vitest';
import { askedToLower, handQueue } from './hand-queue.ts';

describe('the raised-hand queue', () => {
	it('orders hands by when they went up, first raised first, each with its place', () => {
		const queue = handQueue([
			{ peerId: 'c', hand: 30 },
			{ peerId: 'a', hand: null },
			{ peerId: 'b', hand: 10 },
			{ peerId: 'd', hand: 20 }
		]);
		expect(queue.map((p) => [p.peerId, p.position])).toEqual([
			['b', 1],
			['d', 2],
			['c', 3]
		]);
	});

	it('breaks a tie the same way in every browser, whatever order awareness lists them in', () => {
		const one = handQueue([{ peerId: 'y', hand: 5 }, { peerId: 'x', hand: 5 }]);
		const other = handQueue([{ peerId: 'x', hand: 5 }, { peerId: 'y', hand: 5 }]);
		expect(one.map((p) => p.peerId)).toEqual(['x', 'y']);
		expect(other.map((p) => p.peerId)).toEqual(['x', 'y']);
	});

	it('is empty with no hands up', () => {
		expect(handQueue([{ peerId: 'a', hand: null }])).toEqual([]);
	});

	it('obeys a request only for the hand it names (a hand raised again later stays up)', () => {
		const requests = [{ userId: 'ann', hand: 100 }];
		expect(askedToLower(requests, 'ann', 100)).toBe(true);
		expect(askedToLower(requests, 'ann', 200)).toBe(false);
		expect(askedToLower(requests, 'bob', 100)).toBe(false);
		expect(askedToLower(requests, 'ann', null)).toBe(false);
	});
});
