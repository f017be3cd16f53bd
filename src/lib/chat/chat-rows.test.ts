import { describe, expect, it } from 'vitest';
import { chatRows, dayLabel, type ChatRow } from './chat-rows.ts';
import type { ChatMessage } from './room-chat.svelte.ts';
import type { TimelineEvent } from '#lib/rooms/types.ts';

const NOW = new Date(2026, 10, 21, 15, 0).getTime();
const message = (key: string, authorId: string, createdAt: number, replyTo?: string): ChatMessage => ({
	key,
	authorId,
	text: key,
	createdAt,
	pending: false,
	reactions: [],
	replyTo
});

const label = (row: ChatRow) => (row.kind === 'day' ? row.label : row.kind === 'unread' ? 'new' : row.kind === 'event' ? row.key : `${row.key}${row.continued ? '+' : ''}`);
const event = (id: number, at: number): TimelineEvent => ({ id, at, kind: 'joined', actorId: 'cy', actorName: 'Cy', targetId: null, targetName: '', detail: null });

describe('chatRows', () => {
	it('puts a separator before each new day and groups a run by one author', () => {
		const yesterday = NOW - 86_400_000;
		const rows = chatRows(
			[message('a', 'ann', yesterday), message('b', 'ann', NOW - 60_000), message('c', 'ann', NOW - 30_000), message('d', 'bob', NOW - 20_000), message('e', 'bob', NOW - 10_000, 'd')],
			{ now: NOW, locale: 'en' }
		);
		expect(rows.map(label)).toEqual(['Yesterday', 'a', 'Today', 'b', 'c+', 'd', 'e']);
	});

	it('puts the "New messages" divider right before the first unread, after the day separator, and starts a new group there', () => {
		const messages = [message('a', 'ann', NOW - 60_000), message('b', 'ann', NOW - 50_000), message('c', 'ann', NOW - 40_000)];
		expect(chatRows(messages, { unreadKey: 'b', now: NOW, locale: 'en' }).map(label)).toEqual(['Today', 'a', 'new', 'b', 'c+']);
		expect(chatRows(messages, { unreadKey: 'a', now: NOW, locale: 'en' }).map(label)).toEqual(['Today', 'new', 'a', 'b+', 'c+']);
		expect(chatRows(messages, { now: NOW, locale: 'en' }).map(label)).toEqual(['Today', 'a', 'b+', 'c+']);
	});
});

describe('chatRows with the room\'s events', () => {
	const yesterday = NOW - 86_400_000;
	const messages = [message('a', 'ann', NOW - 60_000), message('b', 'ann', NOW - 40_000), message('c', 'ann', NOW - 30_000)];
	it('puts each event among the messages by time, with its day, and parts a group by it', () => {
		const events = [event(1, yesterday), event(2, NOW - 50_000), event(3, NOW - 10_000)];
		expect(chatRows(messages, { now: NOW, locale: 'en', events }).map(label)).toEqual(['Yesterday', 'event:1', 'Today', 'a', 'event:2', 'b', 'c+', 'event:3']);
	});

	it('shows events before the first message only once the list starts at the beginning of the room', () => {
		const events = [event(1, yesterday), event(2, NOW - 50_000)];
		expect(chatRows(messages, { now: NOW, locale: 'en', events, complete: false }).map(label)).toEqual(['Today', 'a', 'event:2', 'b', 'c+']);
		// A room with no messages yet shows what happened in it.
		expect(chatRows([], { now: NOW, locale: 'en', events, complete: false }).map(label)).toEqual(['Yesterday', 'event:1', 'Today', 'event:2']);
	});
});

describe('dayLabel', () => {
	it('names recent days and dates older ones', () => {
		expect(dayLabel(NOW, NOW, 'en')).toBe('Today');
		expect(dayLabel(new Date(2026, 9, 3).getTime(), NOW, 'en')).toBe('Saturday, October 3');
		expect(dayLabel(new Date(2025, 9, 3).getTime(), NOW, 'en')).toBe('Friday, October 3, 2025');
		expect(dayLabel(NOW - 86_400_000, NOW, 'ru')).toBe('Вчера');
		expect(dayLabel(new Date(2026, 9, 3).getTime(), NOW, 'ru')).toBe('суббота, 3 октября');
	});
});
