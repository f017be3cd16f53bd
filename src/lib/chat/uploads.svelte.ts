/* eslint-disable svelte/prefer-svelte-reactivity -- private indexes; what the UI reads is published through $state.raw */
import { newMessageKey, parseMessageKey } from '../core/chat/message-key.ts';
import { MAX_FILES_PER_MESSAGE } from '../core/chat/schema.ts';
import { m } from '../paraglide/messages.js';
import { attachmentOf, Outbox, type OutboxEntry, type OutboxFile } from './outbox.ts';

/** What the timeline shows of a message whose files are on their way. */
export type Outgoing = {
	key: string;
	text: string;
	replyTo?: string;
	mentions?: string[];
	createdAt: number;
	/** waiting: for the network (or its turn); failed: `error` says why, and `retry` whether trying again can help. */
	status: 'waiting' | 'uploading' | 'failed';
	/** 0..1 over all the message's files, by bytes. */
	progress: number;
	error?: string;
	retry?: boolean;
	files: { name: string; size: number; type: string; url: string; voice?: true; durationMs?: number }[];
};

/** A file chosen to send, with what the recorder knows of a voice message. */
export type FileToSend = { file: Blob & { name?: string }; name?: string; voice?: true; durationMs?: number };

/** Where a stored file ends up: written into the room under the message's key. */
export type MessageWriter = (key: string, text: string, extra: { replyTo?: string; mentions?: string[]; files: NonNullable<OutboxFile['stored']>[] }) => boolean;

type UploadAnswer = { ok: true; record: Parameters<typeof attachmentOf>[0] } | { ok: false; status: number; error: string; retryAfter?: number };

/** Backoff after a network failure, when the browser still says it is online. */
const RETRY_MS = [2000, 5000, 15_000, 30_000];

/**
 * The messages with files a person sent in a room and that are not in it yet: kept in the
 * device's outbox, uploaded one file at a time (with progress, cancellable) whenever the network
 * is there, and written into the room once all their files are stored. A message never
 * references a file the server does not have.
 */
export class RoomUploads {
	outgoing = $state.raw<Outgoing[]>([]);

	readonly #roomId: string;
	readonly #userId: string;
	readonly #outbox: Outbox;
	readonly #write: MessageWriter;
	readonly #entries = new Map<string, OutboxEntry>();
	readonly #views = new Map<string, Outgoing>();
	readonly #urls = new Map<string, string[]>();
	#current: { key: string; request: XMLHttpRequest } | null = null;
	#running = false;
	#failures = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;
	readonly #online = () => {
		this.#failures = 0;
		void this.#pump();
	};

	constructor(options: { roomId: string; userId: string; write: MessageWriter; outbox?: Outbox }) {
		this.#roomId = options.roomId;
		this.#userId = options.userId;
		this.#outbox = options.outbox ?? new Outbox(options.userId);
		this.#write = options.write;
		addEventListener('online', this.#online);
		void this.#outbox.list(this.#roomId).then((entries) => {
			for (const entry of entries) this.#track(entry);
			this.#publish();
			void this.#pump();
		});
	}

	/** Sends a message with files (and a caption): it takes its place now, and is written once they are stored. */
	async send(text: string, files: FileToSend[], replyTo?: string, mentions?: string[]): Promise<void> {
		for (let i = 0; i < files.length; i += MAX_FILES_PER_MESSAGE) {
			const entry: OutboxEntry = {
				key: newMessageKey(this.#userId),
				roomId: this.#roomId,
				// The caption goes with the first message when there are more files than one message holds.
				text: i === 0 ? text.trim() : '',
				files: files.slice(i, i + MAX_FILES_PER_MESSAGE).map(({ file, name, voice, durationMs }) => ({
					blob: file,
					name: name ?? file.name ?? 'file',
					...(voice ? { voice } : {}),
					...(durationMs !== undefined ? { durationMs } : {})
				}))
			};
			if (replyTo && i === 0) entry.replyTo = replyTo;
			if (mentions?.length && i === 0) entry.mentions = mentions;
			await this.#outbox.put(entry);
			this.#track(entry);
		}
		this.#publish();
		void this.#pump();
	}

	/** Stops a message's upload and takes it out of the outbox; files already stored are swept by the server. */
	async cancel(key: string): Promise<void> {
		const entry = this.#entries.get(key);
		if (!entry) return;
		if (this.#current?.key === key) this.#current.request.abort();
		this.#untrack(key);
		this.#publish();
		await this.#outbox.remove(entry);
	}

	retry(key: string): void {
		const view = this.#views.get(key);
		if (!view || view.status !== 'failed') return;
		this.#views.set(key, { ...view, status: 'waiting', error: undefined, retry: undefined });
		this.#failures = 0;
		this.#publish();
		void this.#pump();
	}

	#track(entry: OutboxEntry): void {
		this.#entries.set(entry.key, entry);
		const urls = entry.files.map((file) => URL.createObjectURL(file.blob));
		this.#urls.set(entry.key, urls);
		this.#views.set(entry.key, {
			key: entry.key,
			text: entry.text,
			replyTo: entry.replyTo,
			mentions: entry.mentions,
			createdAt: parseMessageKey(entry.key)!.time,
			status: 'waiting',
			progress: 0,
			files: entry.files.map((file, i) => ({
				name: file.name,
				size: file.blob.size,
				type: file.blob.type,
				url: urls[i],
				...(file.voice ? { voice: file.voice } : {}),
				...(file.durationMs !== undefined ? { durationMs: file.durationMs } : {})
			}))
		});
	}

	#untrack(key: string): void {
		this.#entries.delete(key);
		this.#views.delete(key);
		for (const url of this.#urls.get(key) ?? []) URL.revokeObjectURL(url);
		this.#urls.delete(key);
	}

	#publish(): void {
		this.outgoing = [...this.#views.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
	}

	#update(key: string, change: Partial<Outgoing>): void {
		const view = this.#views.get(key);
		if (!view) return;
		this.#views.set(key, { ...view, ...change });
		this.#publish();
	}

	/** Sends what is waiting, oldest first, one file at a time; stops when the network is gone. */
	async #pump(): Promise<void> {
		if (this.#running || this.#destroyed) return;
		this.#running = true;
		clearTimeout(this.#timer);
		try {
			for (const view of this.outgoing) {
				if (view.status === 'failed' || !this.#entries.has(view.key)) continue;
				if (!navigator.onLine) return;
				const outcome = await this.#sendEntry(this.#entries.get(view.key)!);
				if (outcome === 'later') {
					const wait = RETRY_MS[Math.min(this.#failures++, RETRY_MS.length - 1)];
					this.#timer = setTimeout(() => void this.#pump(), wait);
					return;
				}
			}
		} finally {
			this.#running = false;
		}
	}

	/** Uploads an entry's files not yet stored, then writes the message. 'later': try again after a pause. */
	async #sendEntry(entry: OutboxEntry): Promise<'done' | 'later' | 'failed' | 'cancelled'> {
		const total = entry.files.reduce((sum, file) => sum + file.blob.size, 0) || 1;
		let before = entry.files.filter((file) => file.stored).reduce((sum, file) => sum + file.blob.size, 0);
		this.#update(entry.key, { status: 'uploading', progress: before / total });
		for (const file of entry.files) {
			if (file.stored) continue;
			const answer = await this.#upload(entry.key, file, (sent) => this.#update(entry.key, { progress: (before + sent) / total }));
			if (!this.#entries.has(entry.key)) return 'cancelled';
			if (!answer.ok) {
				if (answer.status === 0 || answer.status === 429 || answer.status >= 502) {
					this.#update(entry.key, { status: 'waiting', error: answer.status === 0 ? undefined : answer.error });
					return 'later';
				}
				this.#update(entry.key, { status: 'failed', error: answer.error, retry: answer.status >= 500 || answer.status === 401 });
				return 'failed';
			}
			file.stored = attachmentOf(answer.record, file);
			before += file.blob.size;
			// Stored files are not sent again, even after a reload.
			await this.#outbox.put(entry);
		}
		this.#failures = 0;
		const written = this.#write(entry.key, entry.text, { replyTo: entry.replyTo, mentions: entry.mentions, files: entry.files.map((file) => file.stored!) });
		if (!written) {
			this.#update(entry.key, { status: 'failed', error: m.upload_not_written(), retry: false });
			return 'failed';
		}
		this.#untrack(entry.key);
		this.#publish();
		await this.#outbox.remove(entry);
		return 'done';
	}

	#upload(key: string, file: OutboxFile, onprogress: (sent: number) => void): Promise<UploadAnswer> {
		return new Promise((resolve) => {
			const request = new XMLHttpRequest();
			this.#current = { key, request };
			request.open('POST', `/api/rooms/${encodeURIComponent(this.#roomId)}/files?name=${encodeURIComponent(file.name)}`);
			request.upload.onprogress = (event) => onprogress(event.loaded);
			const done = (answer: UploadAnswer) => {
				if (this.#current?.request === request) this.#current = null;
				resolve(answer);
			};
			request.onload = () => {
				let body: { error?: string } & Record<string, unknown> = {};
				try {
					body = JSON.parse(request.responseText);
				} catch {
					// not JSON: a proxy's error page
				}
				if (request.status === 201) return done({ ok: true, record: body as unknown as Parameters<typeof attachmentOf>[0] });
				done({ ok: false, status: request.status, error: body.error ?? m.api_failed_status({ status: request.status }) });
			};
			request.onerror = () => done({ ok: false, status: 0, error: m.offline_error() });
			request.onabort = () => done({ ok: false, status: 0, error: m.offline_error() });
			request.send(file.blob);
		});
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#timer);
		removeEventListener('online', this.#online);
		this.#current?.request.abort();
		for (const key of [...this.#entries.keys()]) this.#untrack(key);
		void this.#outbox.close();
	}
}
