import { MESSAGES, REACTIONS } from './schema.ts';
import { parseMessageKey, parseReactionKey } from './message-key.ts';

/**
 * A room's history is split by time: one document per room per period (a calendar month, UTC,
 * `YYYY-MM`), chosen by the time in a message's ULID, so the browser and the server agree where
 * every message, edit, deletion and reaction goes. A room created before the split keeps its
 * history in one document, its main one (`HistoryMode` 'single').
 */
export type Period = string;
export type HistoryMode = 'single' | 'monthly';

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The period a time falls in. */
export function periodOf(time: number): Period {
	const date = new Date(time);
	return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function isPeriod(value: string): boolean {
	return PERIOD.test(value);
}

/** When a period starts (ms since 1970, UTC). */
export function periodStart(period: Period): number {
	const [, year, month] = PERIOD.exec(period)!;
	return Date.UTC(Number(year), Number(month) - 1, 1);
}

/** The period after this one. */
export function nextPeriod(period: Period): Period {
	const start = new Date(periodStart(period));
	return periodOf(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** The period before this one. */
export function previousPeriod(period: Period): Period {
	return periodOf(periodStart(period) - 1);
}

/** The period an entry of the room document belongs to (a reaction goes with its message); null for a key that is neither. */
export function periodOfEntry(root: string, key: string): Period | null {
	if (root === MESSAGES) {
		const parsed = parseMessageKey(key);
		return parsed ? periodOf(parsed.time) : null;
	}
	if (root === REACTIONS) {
		const parsed = parseReactionKey(key);
		return parsed ? periodOf(parseMessageKey(parsed.messageKey)!.time) : null;
	}
	return null;
}

/**
 * The name of one of a room's documents on the wire and on the device: the room id for its main
 * document (presence and calls; all of the history in a 'single' room), `<roomId>/<period>` for a period.
 */
export function documentName(roomId: string, period?: Period): string {
	return period ? `${roomId}/${period}` : roomId;
}

/** The room and period a document name stands for (period '' for the main document); null when it is not one. */
export function parseDocumentName(name: string): { roomId: string; period: Period | '' } | null {
	const slash = name.indexOf('/');
	if (slash === -1) return name ? { roomId: name, period: '' } : null;
	const roomId = name.slice(0, slash);
	const period = name.slice(slash + 1);
	return roomId && isPeriod(period) ? { roomId, period } : null;
}
