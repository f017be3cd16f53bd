import { describe, expect, it } from 'vitest';
import { linkedMessage, messageLink, shownToReach } from './message-link.ts';

describe('message links', () => {
	it('round-trips a message key through the link’s hash', () => {
		const link = messageLink('room1', 'ann:01JZ');
		expect(link).toBe('/rooms/room1#message=ann%3A01JZ');
		expect(linkedMessage(new URL(link, 'http://x').hash)).toBe('ann:01JZ');
		expect(linkedMessage('#other')).toBeUndefined();
		expect(linkedMessage('#message=%E0')).toBeUndefined();
	});

	it('shows enough of the newest messages to reach the linked one, once the chat has it', () => {
		const keys = ['a', 'b', 'c', 'd', 'e'].map((key) => ({ key }));
		expect(shownToReach(keys, 'b', 2)).toBe(4);
		expect(shownToReach(keys, 'e', 2)).toBe(2);
		expect(shownToReach(keys, 'zz', 2)).toBeUndefined();
	});
});
