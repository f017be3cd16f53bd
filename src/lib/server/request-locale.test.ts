import { describe, expect, it } from 'vitest';
import { createRoomBody } from '../rooms/schemas.ts';
import { validate } from './json-body.ts';
import { withLocale } from './request-locale.ts';
import { m } from '../paraglide/messages.js';

describe('withLocale', () => {
	it('words API failures and validation errors in the request’s language, across awaits', async () => {
		expect(() => withLocale('ru', () => validate({ name: ' ' }, createRoomBody))).toThrow('Дайте комнате название');
		expect(() => validate({ name: ' ' }, createRoomBody)).toThrow('Give the room a name');
		const later = await withLocale('ru', async () => {
			await new Promise((resolve) => setTimeout(resolve, 5));
			return m.err_sign_in();
		});
		expect(later).toBe('Войдите, чтобы пользоваться Parley.');
	});

	it('keeps concurrent requests apart', async () => {
		const slow = (locale: 'en' | 'ru', ms: number) => withLocale(locale, () => new Promise<string>((resolve) => setTimeout(() => resolve(m.cancel()), ms)));
		expect(await Promise.all([slow('ru', 10), slow('en', 1)])).toEqual(['Отмена', 'Cancel']);
	});
});
