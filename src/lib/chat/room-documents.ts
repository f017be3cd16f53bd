import { parseMessageKey } from '../core/chat/message-key.ts';
import { isPeriod, periodOf, type HistoryMode, type Period } from '../core/chat/period.ts';
import { RoomConnection } from './room-connection.ts';

export type RoomDocumentsOptions = {
	roomId: string;
	user: { id: string; name: string };
	history: HistoryMode;
	/** The months the server has a document for (from the page), newest first. */
	periods: readonly Period[];
	/** Opens one month's document (a RoomConnection; replaceable in tests). */
	connect?: (period: Period) => RoomConnection;
	/**
	 * What the person had read when they opened the room: the months since (with a document, at most
	 * UNREAD_MONTHS) open at once, so the "New messages" divider and the unread count find their first
	 * unread message however long they were away.
	 */
	readSince?: number;
	now?: () => number;
};

/** Most months before this one opened at the start for their unread messages (a person away half a year starts three months back). */
export const UNREAD_MONTHS = 3;

/** How often to look whether a new month began while the room is open. */
const ROLLOVER_CHECK_MS = 60_000;

/**
 * Which of a room's documents are open in this page (period.ts). A room whose history is one
 * document has only its main one. A room split by month has its main one (presence, calls), the
 * current month's, and older months opened as the person scrolls back; an entry is written to the
 * month of its message, opened for it when it is not open (an edit made offline of an old message).
 * Months opened once stay on the device (IndexedDB) and are remembered, so scrolling back reaches
 * them offline too.
 */
export class RoomDocuments {
	readonly main: RoomConnection;
	readonly #options: RoomDocumentsOptions;
	readonly #open = new Map<Period, RoomConnection>();
	/** Months known to have a document: the server's, and those opened on this device. */
	readonly #known = new Set<Period>();
	readonly #listeners = new Set<(connection: RoomConnection) => void>();
	readonly #rememberKey: string;
	readonly #timer: ReturnType<typeof setInterval> | undefined;

	constructor(main: RoomConnection, options: RoomDocumentsOptions) {
		this.main = main;
		this.#options = options;
		this.#rememberKey = `parley:periods:${options.roomId}`;
		if (!this.monthly) return;
		for (const period of [...options.periods, ...remembered(this.#rememberKey)]) this.#known.add(period);
		this.#ensure(this.current);
		if (options.readSince !== undefined) {
			const from = periodOf(options.readSince);
			const unread = [...this.#known].filter((p) => p >= from && p < this.current).sort().reverse().slice(0, UNREAD_MONTHS);
			for (const period of unread) this.#ensure(period);
		}
		this.#timer = setInterval(() => this.#ensure(this.current), ROLLOVER_CHECK_MS);
	}

	get monthly(): boolean {
		return this.#options.history === 'monthly';
	}

	get current(): Period {
		return periodOf((this.#options.now ?? Date.now)());
	}

	/** The documents whose messages are read now. */
	get opened(): RoomConnection[] {
		return this.monthly ? [...this.#open.values()] : [this.main];
	}

	/** The open month's document (in a one-document room, the main one). */
	get live(): RoomConnection {
		return this.monthly ? this.#ensure(this.current) : this.main;
	}

	/** The open document holding a message and its reactions, if it is open. */
	holding(messageKey: string): RoomConnection | undefined {
		if (!this.monthly) return this.main;
		const parsed = parseMessageKey(messageKey);
		return parsed ? this.#open.get(periodOf(parsed.time)) : undefined;
	}

	/** The document a message and its reactions are written to, opened if it is not. */
	forKey(messageKey: string): RoomConnection {
		if (!this.monthly) return this.main;
		return this.#ensure(periodOf(parseMessageKey(messageKey)!.time));
	}

	/** The newest month before those open that has a document, if any: where scrolling back goes next. */
	get older(): Period | undefined {
		if (!this.monthly) return undefined;
		const oldest = [...this.#open.keys()].sort()[0];
		return [...this.#known].filter((p) => p < oldest).sort().at(-1);
	}

	/**
	 * Opens the next older month; resolves once it is read from the device and, online, synced
	 * (a month never opened on this device is empty until then).
	 */
	async openOlder(): Promise<RoomConnection | undefined> {
		const period = this.older;
		if (!period) return undefined;
		const connection = this.#ensure(period);
		await connection.loaded;
		await connection.whenSettled();
		return connection;
	}

	/** Hears of each document opened from now on. */
	onOpen(listener: (connection: RoomConnection) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#ensure(period: Period): RoomConnection {
		const open = this.#open.get(period);
		if (open) return open;
		const { roomId, user, connect } = this.#options;
		const connection = connect ? connect(period) : new RoomConnection(roomId, user, period);
		this.#open.set(period, connection);
		if (!this.#known.has(period)) {
			this.#known.add(period);
			remember(this.#rememberKey, [...this.#known]);
		}
		for (const listener of this.#listeners) listener(connection);
		return connection;
	}

	/** Closes the months' documents (the main one belongs to the page). */
	destroy(): void {
		clearInterval(this.#timer);
		for (const connection of this.#open.values()) connection.destroy();
		this.#open.clear();
	}
}

function remembered(key: string): Period[] {
	try {
		const value = JSON.parse(globalThis.localStorage?.getItem(key) ?? '[]') as unknown;
		return Array.isArray(value) ? value.filter((p): p is Period => typeof p === 'string' && isPeriod(p)) : [];
	} catch {
		return [];
	}
}

function remember(key: string, periods: Period[]): void {
	try {
		globalThis.localStorage?.setItem(key, JSON.stringify(periods.sort().reverse()));
	} catch {
		// Full or unavailable: the server's list still leads back.
	}
}
