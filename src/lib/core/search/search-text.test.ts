import { describe, expect, it } from 'vitest';
import { foldText, ftsQuery, highlightParts, matchesTerms, mentionedBy, queryTerms, searchableText, snippetOf } from './search-text.ts';

const finds = (query: string, text: string) => matchesTerms(searchableText(text), queryTerms(query));

describe('search text', () => {
	it('folds case in every script, and drops accents', () => {
		expect(foldText('Ольга')).toBe('ольга');
		expect(foldText('ΣΟΦΙΑ')).toBe('σοφια');
		expect(foldText('Café Crème')).toBe('cafe creme');
		expect(foldText('Ёлка')).toBe('елка');
		expect(foldText('İstanbul')).toBe('istanbul');
	});

	it('finds a capitalised Cyrillic name typed in lower case, and the other way round', () => {
		expect(finds('ольга', 'Привет, Ольга!')).toBe(true);
		expect(finds('ОЛЬГА', 'позвони ольге')).toBe(false);
		expect(finds('ольг', 'позвони Ольге')).toBe(true);
		expect(finds('елка', 'Ёлка зелёная')).toBe(true);
		expect(finds('cafe', 'Meet at the Café')).toBe(true);
	});

	it('needs every word of the query, each at the start of a word', () => {
		expect(finds('meet cafe', 'Meet at the café')).toBe(true);
		expect(finds('meet tea', 'Meet at the café')).toBe(false);
		expect(finds('eet', 'Meet at the café')).toBe(false);
		expect(finds('  ', 'anything')).toBe(false);
	});

	it('turns terms into an FTS5 prefix query', () => {
		expect(ftsQuery(queryTerms('Ольга, "hi"'))).toBe('"ольга"* AND "hi"*');
		// A word that begins someone's name also matches a mention of them.
		const terms = queryTerms('ol hi');
		expect(mentionedBy(terms, [['u1', 'Olga Ivanova'], ['u2', 'Oleg'], ['u3', 'Bob Olsen'], ['u4', 'Carol']])).toEqual([['u1', 'u2', 'u3'], []]);
		expect(ftsQuery(terms, [['u1', 'u2'], []])).toBe('("ol"* OR "u1" OR "u2") AND "hi"*');
	});

	it('marks the words a term begins', () => {
		expect(highlightParts('Hi Ольга, and Олег', queryTerms('оль'))).toEqual([
			{ text: 'Hi ', match: false },
			{ text: 'Ольга', match: true },
			{ text: ', and Олег', match: false }
		]);
	});

	it('cuts long text around the first match', () => {
		const text = `${'a '.repeat(100)}needle${' b'.repeat(100)}`;
		const snippet = snippetOf(text, ['needle'], 10);
		expect(snippet).toMatch(/^…a a a a a needle b b b b b b b…$/);
		expect(snippetOf('short text', ['x'])).toBe('short text');
	});
});
