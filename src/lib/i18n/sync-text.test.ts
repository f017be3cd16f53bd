import { describe, expect, it } from 'vitest';
import { syncReasonText } from './sync-text.ts';
import { m } from '#lib/paraglide/messages.js';

describe('syncReasonText', () => {
	it('turns the sync service’s reasons into messages, with their numbers', () => {
		expect(syncReasonText('You have this room open 5 times already; close it somewhere else first')).toBe(m.sync_too_many({ count: 5 }));
		expect(m.sync_too_many({ count: 5 }, { locale: 'ru' })).toContain('5 раз');
		expect(syncReasonText('you are sending changes too fast (at most 120 a minute); try again in 7 s')).toBe(m.sync_too_fast({ seconds: 7 }));
		expect(syncReasonText('This room was deleted')).toBe(m.sync_room_deleted());
	});

	it('shows a reason it does not know as sent', () => {
		expect(syncReasonText('values must be plain JSON')).toBe('values must be plain JSON');
	});
});
