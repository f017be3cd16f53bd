import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.ts';

describe('linkify', () => {
	it('leaves plain text alone, markup included', () => {
		expect(linkify('hello <b>there</b>')).toEqual([{ text: 'hello <b>there</b>' }]);
	});

	it('finds http(s) and www links, without trailing punctuation', () => {
		expect(linkify('see https://parley.example/a?b=1, or www.example.org.')).toEqual([
			{ text: 'see ' },
			{ text: 'https://parley.example/a?b=1', href: 'https://parley.example/a?b=1' },
			{ text: ', or ' },
			{ text: 'www.example.org', href: 'https://www.example.org' },
			{ text: '.' }
		]);
	});

	it('keeps a closing bracket that belongs to the link', () => {
		expect(linkify('(https://en.wikipedia.org/wiki/Yjs_(software))')).toEqual([
			{ text: '(' },
			{ text: 'https://en.wikipedia.org/wiki/Yjs_(software)', href: 'https://en.wikipedia.org/wiki/Yjs_(software)' },
			{ text: ')' }
		]);
	});

	it('never makes javascript: or other schemes into links', () => {
		expect(linkify('javascript:alert(1) data:text/html,x')).toEqual([{ text: 'javascript:alert(1) data:text/html,x' }]);
	});
});
