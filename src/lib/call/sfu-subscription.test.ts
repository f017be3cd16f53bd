import { describe, expect, it } from 'vitest';
import { layerForHeight, SubscriptionPlan } from './sfu-subscription.ts';

describe('simulcast layer choice', () => {
	it('asks for the layer that fits the tile: high for big tiles, low for thumbnails', () => {
		expect(layerForHeight(480)).toBe(2);
		expect(layerForHeight(300)).toBe(2);
		expect(layerForHeight(200)).toBe(1);
		expect(layerForHeight(90)).toBe(0);
	});
});

describe('the feeds the SFU subscription asks for', () => {
	it('asks once for feeds that appear together, and not again for those Janus already sends', () => {
		const plan = new SubscriptionPlan();
		plan.want([1, 2]);
		plan.want([2, 3]);
		expect(plan.take(() => true)).toEqual([1, 2, 3]);
		expect(plan.pending).toBe(false);
		plan.want([2, 4]);
		expect(plan.take(() => true)).toEqual([4]);
	});

	it('after Janus refused ("No such feed": someone left meanwhile), asks again for the feeds still published only', () => {
		const plan = new SubscriptionPlan();
		const published = new Set([1, 2, 3]);
		plan.want([1, 2, 3]);
		const asked = plan.take((id) => published.has(id));
		published.delete(2);
		expect(plan.drop(2)).toBe(true);
		expect(plan.refused(asked)).toBe(1);
		expect(plan.pending).toBe(true);
		expect(plan.take((id) => published.has(id))).toEqual([1, 3]);
		plan.accepted();
		expect(plan.refused([9])).toBe(1);
	});

	it('counts refusals in a row, so that a subscription Janus never accepts gives up', () => {
		const plan = new SubscriptionPlan();
		plan.want([1]);
		expect(plan.refused(plan.take(() => true))).toBe(1);
		expect(plan.refused(plan.take(() => true))).toBe(2);
		expect(plan.drop(1)).toBe(false);
		expect(plan.pending).toBe(false);
	});
});
