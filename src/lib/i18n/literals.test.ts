import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import { findLiterals, pluralForms } from './literals.ts';

const literals = (source: string) => findLiterals(parse(source, { modern: true }).fragment);

describe('findLiterals', () => {
	it('finds English text, read attributes and string results of expressions', () => {
		expect(literals('<p>Hello there</p>')).toEqual(['text: Hello there']);
		expect(literals('<input placeholder="Write a message" />')).toEqual(['placeholder: Write a message']);
		expect(literals('<a aria-label={`Unblock ${name}`}>x</a>')).toEqual(['aria-label: Unblock']);
		expect(literals("<b>{busy ? 'Saving' : m.save()}</b>")).toEqual(['text: Saving']);
	});

	it('passes messages, symbols, the product name, comparisons and other attributes', () => {
		expect(literals('<a class="brand" href="/">Parley</a>')).toEqual([]);
		expect(literals('<p aria-label={m.x()}>{m.y()} · {count} ← ⚙ ×</p>')).toEqual([]);
		expect(literals("<p>{kind === 'direct' ? m.a() : m.b()}</p>")).toEqual([]);
		expect(literals('<div class="notice open" role="status"></div><style>p { color: red; }</style>')).toEqual([]);
		expect(literals('<span style:--size={`${size}px`} class:wide={`${a}px` === b}></span>')).toEqual([]);
	});
});

describe('pluralForms', () => {
	it('lists the forms of a plural message, none for plain text', () => {
		const plural = [{ declarations: [], selectors: ['n'], match: { 'n=one': '#', 'n=few': '#', 'n=*': '#' } }];
		expect(pluralForms(plural)).toEqual(['one', 'few', '*']);
		expect(pluralForms('Hello')).toBeUndefined();
	});
});
