import type { ChatMessage } from './room-chat.svelte.ts';
import type { TimelineEvent } from '#lib/rooms/types.ts';
import { getLocale } from '#lib/paraglide/runtime.js';
import { m } from '#lib/paraglide/messages.js';
import type { Locale } from '#lib/i18n/locale.ts';

/** What the message list renders: messages, with a separator where the day changes and one before the first unread. */
export type ChatRow =
	| { kind: 'day'; key: string; label: string }
	| { kind: 'unread'; key: string }
	| { kind: 'message'; key: string; message: ChatMessage; continued: boolean }
	| { kind: 'event'; key: string; event: TimelineEvent };

const GROUP_MS = 5 * 60 * 1000;

export function dayLabel(time: number, now = Date.now(), locale: Locale = getLocale()): string {
	const day = (t: number) => new Date(t).toDateString();
	if (day(time) === day(now)) return m.today({}, { locale });
	if (day(time) === day(now - 86_400_000)) return m.yesterday({}, { locale });
	const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
	return new Date(time).toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', ...(sameYear ? {} : { year: 'numeric' }) });
}

/**
 * Day separators between messages, and the "New messages" divider before `unreadKey` (unread.ts); a
 * message right after one by the same author is "continued" (no repeated name), unless a divider or
 * an event parts them. The room's `events` (joins, renames, calls) take their place by time among
 * the messages shown: those before the first one only once the list starts at the room's beginning
 * (`complete`), as older messages not shown yet would come between.
 */
export function chatRows(
	messages: readonly ChatMessage[],
	{ unreadKey, now = Date.now(), locale = getLocale(), events = [], complete = true }: { unreadKey?: string; now?: number; locale?: Locale; events?: readonly TimelineEvent[]; complete?: boolean } = {}
): ChatRow[] {
	const rows: ChatRow[] = [];
	let previous: ChatMessage | undefined;
	let lastDay: string | undefined;
	const from = complete || !messages.length ? -Infinity : messages[0].createdAt;
	const pending = events.filter((event) => event.at >= from);
	let next = 0;
	const day = (time: number) => {
		const name = new Date(time).toDateString();
		if (name === lastDay) return false;
		lastDay = name;
		rows.push({ kind: 'day', key: `day:${name}`, label: dayLabel(time, now, locale) });
		return true;
	};
	const eventsUntil = (time: number) => {
		while (next < pending.length && pending[next].at <= time) {
			const event = pending[next++];
			day(event.at);
			rows.push({ kind: 'event', key: `event:${event.id}`, event });
			previous = undefined;
		}
	};
	for (const message of messages) {
		eventsUntil(message.createdAt);
		const newDay = day(message.createdAt);
		const unread = message.key === unreadKey;
		if (unread) rows.push({ kind: 'unread', key: 'unread' });
		const continued = !!previous && !newDay && !unread && previous.authorId === message.authorId && message.createdAt - previous.createdAt < GROUP_MS && !message.replyTo;
		rows.push({ kind: 'message', key: message.key, message, continued });
		previous = message;
	}
	eventsUntil(Infinity);
	return rows;
}
