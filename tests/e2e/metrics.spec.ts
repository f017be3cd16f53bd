import { expect, test } from '@playwright/test';
import { waitFor } from '../../sync/test-harness.ts';
import { createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { parsePrometheus } from './support/prometheus-text.ts';
import { startServer } from './support/server.ts';
import { syncWriter } from './support/sync-writer.ts';

const TOKEN = 'metrics-token-for-the-test';

test('/metrics is refused without the token, and with it is Prometheus text whose counters move when a message is sent', async () => {
	const server = await startServer({ METRICS_TOKEN: TOKEN });
	const scrape = (authorization?: string) => fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
	const read = async () => {
		const res = await scrape(`Bearer ${TOKEN}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/plain');
		return parsePrometheus(await res.text());
	};

	expect((await scrape()).status).toBe(401);
	const wrong = await scrape('Bearer not-the-token-at-all');
	expect(wrong.status).toBe(401);
	expect(wrong.headers.get('www-authenticate')).toContain('Bearer');

	const before = await read();
	expect(before.get('parley_sync_rooms_loaded')).toBe(0);
	expect(before.get('parley_http_responses_total{status="401"}')).toBe(2);
	expect(before.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
	expect(before.get('parley_calls{topology="mesh"}')).toBe(0);

	const [ann, ben] = await Promise.all(['Ann', 'Ben'].map((n) => signUpPerson(server.url, n)));
	const room = await createRoomWithMembers(server.url, ann, 'Counted', [ben]);
	const writer = await syncWriter(server.url.replace('http', 'ws') + '/sync', room.id, ann);
	writer.write('hello, metrics');
	await waitFor(() => writer.acked.size === 1, 10_000, 'acknowledgement');

	const after = await read();
	expect(after.get('parley_connections{service="sync"}')).toBe(1);
	expect(after.get('parley_sync_rooms_loaded')).toBe(1);
	expect(after.get('parley_sync_updates_accepted_total')).toBeGreaterThan(before.get('parley_sync_updates_accepted_total')!);
	expect(after.get('parley_sync_update_seconds_count')).toBeGreaterThan(before.get('parley_sync_update_seconds_count')!);
	expect(after.get('parley_http_responses_total{status="200"}')).toBeGreaterThan(before.get('parley_http_responses_total{status="200"}') ?? 0);
	writer.close();
	await server.stop();

	// Without a token there is no /metrics at all.
	const plain = await startServer();
	expect((await fetch(`${plain.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
	await plain.stop();
});
