import { describe, expect, it } from 'vitest';
import { acceptedLanguages, matchLocale, pickLocale } from './locale.ts';

describe('acceptedLanguages', () => {
	it('orders tags by weight, keeping the header order among equals, and drops q=0 and *', () => {
		expect(acceptedLanguages('de;q=0.5, ru-RU, en;q=0.9, fr;q=0, *;q=0.1')).toEqual(['ru-RU', 'en', 'de']);
		expect(acceptedLanguages(null)).toEqual([]);
	});
});

describe('matchLocale', () => {
	it('matches by primary language, first wins', () => {
		expect(matchLocale(['de-DE', 'RU-ru', 'en'])).toBe('ru');
		expect(matchLocale(['en-GB', 'ru'])).toBe('en');
		expect(matchLocale(['de'])).toBeUndefined();
	});
});

describe('pickLocale', () => {
	it('prefers the account, then the device cookie, then Accept-Language, then English', () => {
		expect(pickLocale({ account: 'ru', cookie: 'en', acceptLanguage: 'en' })).toBe('ru');
		expect(pickLocale({ account: null, cookie: 'ru', acceptLanguage: 'en' })).toBe('ru');
		expect(pickLocale({ cookie: 'xx', acceptLanguage: 'de, ru;q=0.8' })).toBe('ru');
		expect(pickLocale({ acceptLanguage: 'de' })).toBe('en');
		expect(pickLocale({})).toBe('en');
	});
});
