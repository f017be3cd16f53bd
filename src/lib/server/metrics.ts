import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type Service = 'sync' | 'signal' | 'sfu' | 'events';
/** Why the server refused a document update: the person's write limits, the shared rules, or an update Yjs could not apply or the database not store. */
export type RefusalReason = 'updates_per_minute' | 'bytes_per_minute' | 'bytes_per_day' | 'invalid' | 'unappliable' | 'store_failed';

/**
 * Parley's figures for Prometheus (`GET /metrics`), one registry per `createParley`, handed to the
 * services that count: nothing global, so tests and benchmarks each have their own. Labels are
 * small fixed sets (no room or user ids).
 */
export function createMetrics() {
	const registry = new Registry();
	// Process figures, among them the event-loop delay (nodejs_eventloop_lag_*).
	collectDefaultMetrics({ register: registry });
	const registers = [registry];
	let callsSource: () => Record<'mesh' | 'sfu', number> = () => ({ mesh: 0, sfu: 0 });
	return {
		registry,
		connections: new Gauge({ name: 'parley_connections', help: 'Open WebSocket and event-stream connections, by service', labelNames: ['service'] as const, registers }),
		roomsLoaded: new Gauge({ name: 'parley_sync_rooms_loaded', help: 'Room documents loaded in memory', registers }),
		updatesAccepted: new Counter({ name: 'parley_sync_updates_accepted_total', help: 'Document updates stored (or already known) and acknowledged', registers }),
		updatesRefused: new Counter({ name: 'parley_sync_updates_refused_total', help: 'Document updates refused, by reason', labelNames: ['reason'] as const, registers }),
		syncLatency: new Histogram({
			name: 'parley_sync_update_seconds',
			help: 'From an update received to it stored and acknowledged',
			buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
			registers
		}),
		calls: new Gauge({
			name: 'parley_calls',
			help: 'Calls going on, by topology',
			labelNames: ['topology'] as const,
			registers,
			collect() {
				for (const [topology, count] of Object.entries(callsSource())) this.set({ topology }, count);
			}
		}),
		janusRestarts: new Counter({ name: 'parley_janus_restarts_total', help: 'Times the Janus child process exited and was started again', registers }),
		push: new Counter({ name: 'parley_push_total', help: 'Web push messages, by result (sent or failed)', labelNames: ['result'] as const, registers }),
		httpResponses: new Counter({ name: 'parley_http_responses_total', help: 'HTTP responses, by status code', labelNames: ['status'] as const, registers }),
		/** Where the call counts come from (the SFU service's call router, made after this). */
		countCalls(source: () => Record<'mesh' | 'sfu', number>): void {
			callsSource = source;
		}
	};
}

export type Metrics = ReturnType<typeof createMetrics>;
