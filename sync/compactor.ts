import { Worker } from 'node:worker_threads';
import type { CompactionJob, CompactionResult } from './compaction-worker.ts';

export type Compaction = { written: boolean; bytes: number; updates: number };

/**
 * Compacts room documents on a worker thread (compaction-worker.ts), from what the database has
 * stored: the server's event loop only posts the job. Needs the database in a file the worker can
 * open; one job at a time, in the order they were asked.
 */
export class Compactor {
	readonly #worker: Worker;
	readonly #waiting = new Map<number, { resolve: (result: Compaction) => void; reject: (error: Error) => void }>();
	#next = 1;
	#failed: Error | undefined;

	constructor(file: string) {
		this.#worker = new Worker(new URL('./compaction-worker.ts', import.meta.url), { workerData: { file } });
		// Idle, it keeps nothing alive; a job waiting for it does.
		this.#worker.unref();
		this.#worker.on('message', (result: CompactionResult) => {
			const waiting = this.#waiting.get(result.id);
			this.#waiting.delete(result.id);
			if (!this.#waiting.size) this.#worker.unref();
			if (!waiting) return;
			if (result.ok) waiting.resolve(result);
			else waiting.reject(new Error(result.error));
		});
		const fail = (error: Error) => {
			this.#failed ??= error;
			for (const waiting of this.#waiting.values()) waiting.reject(error);
			this.#waiting.clear();
		};
		this.#worker.on('error', fail);
		this.#worker.on('exit', (code) => fail(new Error(`the compaction worker stopped (exit code ${code})`)));
	}

	/** Whether jobs can still be given (false once the worker has stopped). */
	get working(): boolean {
		return this.#failed === undefined;
	}

	/** Replaces the document's stored updates up to `seq` (all stored already) by one snapshot. */
	compact(roomId: string, period: string, seq: number): Promise<Compaction> {
		if (this.#failed) return Promise.reject(this.#failed);
		const id = this.#next++;
		const job: CompactionJob = { id, roomId, period, seq };
		return new Promise((resolve, reject) => {
			this.#waiting.set(id, { resolve, reject });
			this.#worker.ref();
			this.#worker.postMessage(job);
		});
	}

	/** Stops the worker; a job it is in the middle of is rolled back (its updates stay until the next compaction). */
	async close(): Promise<void> {
		this.#failed ??= new Error('the compactor is closed');
		await this.#worker.terminate();
	}
}
