import { describe, expect, it } from 'vitest';
import { notices } from './notices.svelte.ts';

describe('notices', () => {
	it('stay for the page they were shown on and the next one, then go', () => {
		notices.show('This room was deleted.');
		notices.navigated();
		expect(notices.message).toBe('This room was deleted.');
		notices.navigated();
		expect(notices.message).toBe('');
		// A new one starts again; dismissing ends it at once.
		notices.show('You are no longer a member of this room.');
		notices.dismiss();
		expect(notices.message).toBe('');
		notices.navigated();
		expect(notices.message).toBe('');
	});
});
