import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';

const value = async (metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string> = {}) => {
	const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
	return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
};

describe('createMetrics', () => {
	it('reads the calls by topology from the source it is given, at each scrape', async () => {
		const metrics = createMetrics();
		let calls = { mesh: 2, sfu: 1 };
		metrics.countCalls(() => calls);
		expect(await value(metrics, 'parley_calls', { topology: 'mesh' })).toBe(2);
		expect(await value(metrics, 'parley_calls', { topology: 'sfu' })).toBe(1);
		calls = { mesh: 0, sfu: 3 };
		expect(await value(metrics, 'parley_calls', { topology: 'sfu' })).toBe(3);
	});

	it('keeps each instance’s figures apart (no global registry)', async () => {
		const a = createMetrics();
		const b = createMetrics();
		a.updatesRefused.inc({ reason: 'invalid' });
		expect(await value(a, 'parley_sync_updates_refused_total', { reason: 'invalid' })).toBe(1);
		expect(await value(b, 'parley_sync_updates_refused_total', { reason: 'invalid' })).toBeUndefined();
		expect(await a.registry.metrics()).toContain('nodejs_eventloop_lag_seconds');
	});
});
