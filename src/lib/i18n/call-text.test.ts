import { describe, expect, it } from 'vitest';
import { callErrorText } from './call-text.ts';
import { m } from '#lib/paraglide/messages.js';

describe('callErrorText', () => {
	it('words a known failure in the current language and keeps its detail', () => {
		expect(callErrorText('Could not reach the SFU: timeout')).toBe(m.call_error_sfu({ detail: 'timeout' }));
		expect(m.call_error_sfu({ detail: 'timeout' }, { locale: 'ru' })).toMatch(/timeout$/);
		expect(callErrorText('Something else')).toBe('Something else');
	});
});
