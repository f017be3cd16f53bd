import type { ChatMessage } from './room-chat.svelte.ts';
import { getLocale } from '#lib/paraglide/runtime.js';
import { m } from '#lib/paraglide/messages.js';
import type { Locale } from '#lib/i18n/locale.ts';

/** What the message list renders: messages, with a separator where the day changes and one before the first unread. */
export type ChatRow = { kind: 'day'; key: string; label: string } | { kind: 'unread'; key: string } | { kind: 'message'; key: string; message: ChatMessage; continued: boolean };

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
 * message right after one by the same author is "continued" (no repeated name), unless a divider parts them.
 */
export function chatRows(messages: readonly ChatMessage[], { unreadKey, now = Date.now(), locale = getLocale() }: { unreadKey?: string; now?: number; locale?: Locale } = {}): ChatRow[] {
	const rows: ChatRow[] = [];
	let previous: ChatMessage | undefined;
	for (const message of messages) {
		const newDay = !previous || new Date(previous.createdAt).toDateString() !== new Date(message.createdAt).toDateString();
		if (newDay) rows.push({ kind: 'day', key: `day:${new Date(message.createdAt).toDateString()}`, label: dayLabel(message.createdAt, now, locale) });
		const unread = message.key === unreadKey;
		if (unread) rows.push({ kind: 'unread', key: 'unread' });
		const continued = !newDay && !unread && previous!.authorId === message.authorId && message.createdAt - previous!.createdAt < GROUP_MS && !message.replyTo;
		rows.push({ kind: 'message', key: message.key, message, continued });
		previous = message;
	}
	return rows;
}
