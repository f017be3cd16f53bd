import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '#lib/rooms/types.ts';
import { callLength, timelineText } from './timeline-text.ts';

const event = (kind: TimelineEvent['kind'], extra: Partial<TimelineEvent> = {}): TimelineEvent => ({ id: 1, at: 0, kind, actorId: 'ann', actorName: 'Ann', targetId: null, targetName: '', detail: null, ...extra });

describe('timelineText', () => {
	it('tells what happened, my own doings as mine, in English and Russian', () => {
		expect(timelineText(event('joined'), 'bob', 'en')).toBe('Ann joined');
		expect(timelineText(event('joined'), 'ann', 'en')).toBe('You joined');
		expect(timelineText(event('removed', { targetId: 'cy', targetName: 'Cy' }), 'bob', 'en')).toBe('Ann removed Cy');
		expect(timelineText(event('renamed', { detail: 'Crew' }), 'bob', 'ru')).toBe('Ann переименовал(а) комнату в «Crew»');
		expect(timelineText(event('call-ended', { actorId: null, actorName: '', detail: '754000' }), 'bob', 'en')).toBe('Call ended · 13 minutes');
		expect(timelineText(event('call-started'), 'ann', 'ru')).toBe('Вы начали звонок');
	});
});

describe('callLength', () => {
	it('says seconds, minutes, or hours and minutes', () => {
		expect(callLength(45_000, 'en')).toBe('45 seconds');
		expect(callLength(60_000, 'en')).toBe('1 minute');
		expect(callLength(3_900_000, 'en')).toBe('1 hr 5 min');
		expect(callLength(3_600_000, 'en')).toBe('1 hr');
		expect(callLength(300_000, 'ru')).toBe('5 минут');
	});
});
