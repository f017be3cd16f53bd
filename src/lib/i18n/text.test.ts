import { describe, expect, it } from 'vitest';
import { foldName, initials, nameCollator } from './text.ts';

describe('initials', () => {
	it('takes the first letter of the first words, upper-cased, in any script', () => {
		expect(initials('анна петрова')).toBe('АП');
		expect(initials('Ёлка')).toBe('Ё');
		expect(initials('  "bob"  smith jones')).toBe('BS');
		expect(initials('Мария', 1)).toBe('М');
	});

	it('keeps a whole grapheme (emoji, combining accents) and skips words without letters', () => {
		expect(initials('👩‍👩‍👧 family')).toBe('👩‍👩‍👧F');
		expect(initials('e\u0301mile — zola')).toBe('E\u0301Z');
		expect(initials('   ')).toBe('');
	});

	it('prefers words that start with a letter (names made unique with a number)', () => {
		expect(initials('Bob Stone 25e382eb')).toBe('BS');
		expect(initials('Ada 2')).toBe('A');
		expect(initials('2 3')).toBe('23');
	});
});

describe('foldName', () => {
	it('folds case in Cyrillic and Latin alike, and ё to е', () => {
		expect(foldName('Анна Петрова')).toBe('анна петрова');
		expect(foldName('ЁЖИК Ёлкин')).toBe('ежик елкин');
		expect(foldName('ÉMILE ｚｏｌａ')).toBe('émile zola');
	});
});

describe('nameCollator', () => {
	it('sorts Cyrillic names alphabetically regardless of case', () => {
		const names = ['борис', 'Яна', 'анна', 'Ёжик', 'Вера'];
		expect(names.sort(nameCollator('ru'))).toEqual(['анна', 'борис', 'Вера', 'Ёжик', 'Яна']);
	});
});
