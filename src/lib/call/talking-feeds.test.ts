import { describe, expect, it } from 'vitest';
import { TalkingFeeds } from './talking-feeds.ts';

describe('who is talking on the SFU', () => {
	it('keeps a talking event that came before the feed was known', () => {
		const talking = new TalkingFeeds();
		expect(talking.hear({ videoroom: 'talking', id: 7 })).toBe(true);
		expect(talking.is(7)).toBe(true);
		expect(talking.is(8)).toBe(false);
	});

	it('follows the order Janus spoke in: a list, then events, then a later list', () => {
		const talking = new TalkingFeeds();
		talking.hear({ videoroom: 'joined', publishers: [{ id: 7, display: 'a', talking: false }, { id: 8, display: 'b', talking: true }] });
		expect([talking.is(7), talking.is(8)]).toEqual([false, true]);
		talking.hear({ videoroom: 'talking', id: 7 });
		talking.hear({ videoroom: 'stopped-talking', id: 8 });
		expect([talking.is(7), talking.is(8)]).toEqual([true, false]);
		talking.hear({ videoroom: 'event', publishers: [{ id: 9, display: 'c', talking: true }] });
		expect([talking.is(7), talking.is(8), talking.is(9)]).toEqual([true, false, true]);
	});

	it('ignores messages that say nothing about talking, and forgets a feed that left', () => {
		const talking = new TalkingFeeds();
		expect(talking.hear({ videoroom: 'event', publishers: [{ id: 7, display: 'a' }] })).toBe(false);
		expect(talking.hear({ videoroom: 'talking' })).toBe(false);
		talking.hear({ videoroom: 'talking', id: 7 });
		talking.forget(7);
		expect(talking.is(7)).toBe(false);
	});
});
