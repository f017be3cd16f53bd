import { describe, expect, it } from 'vitest';
import { parseMessage, safeHref, type Block, type Inline } from './message-markdown.ts';

const text = (value: string): Inline => ({ kind: 'text', text: value });
const para = (...children: Inline[]): Block => ({ kind: 'paragraph', children });
const link = (href: string, label = href): Inline => ({ kind: 'link', href, children: [text(label)] });

describe('parseMessage', () => {
	it('keeps plain text, line breaks included', () => {
		expect(parseMessage('hello\nthere')).toEqual([para(text('hello\nthere'))]);
	});

	it('reads bold, italic, strike and inline code', () => {
		expect(parseMessage('**b** *i* _j_ ~~s~~ `c <b>`')).toEqual([
			para(
				{ kind: 'strong', children: [text('b')] },
				text(' '),
				{ kind: 'emphasis', children: [text('i')] },
				text(' '),
				{ kind: 'emphasis', children: [text('j')] },
				text(' '),
				{ kind: 'strike', children: [text('s')] },
				text(' '),
				{ kind: 'code', text: 'c <b>' }
			)
		]);
	});

	it('a single tilde is not a strike', () => {
		expect(parseMessage('~about~ 5')).toEqual([para(text('~about~ 5'))]);
	});

	it('keeps HTML as text, inline and as a block', () => {
		expect(parseMessage('hi <img src=x onerror=alert(1)>')).toEqual([para(text('hi <img src=x onerror=alert(1)>'))]);
		expect(parseMessage('<script>alert(1)</script>')).toEqual([para(text('<script>alert(1)</script>'))]);
		expect(parseMessage('<div>\n\n**x**\n\n</div>')).toEqual([para(text('<div>')), para({ kind: 'strong', children: [text('x')] }), para(text('</div>'))]);
	});

	it('shows character references as typed', () => {
		expect(parseMessage('&lt;b&gt; &amp;')).toEqual([para(text('&lt;b&gt; &amp;'))]);
	});

	it('reads fenced code blocks, without formatting inside', () => {
		expect(parseMessage('look:\n```ts\nconst a = **1**;\n<b>\n```')).toEqual([para(text('look:')), { kind: 'code', text: 'const a = **1**;\n<b>' }]);
	});

	it('does not turn indented lines into code', () => {
		expect(parseMessage('    indented')).toEqual([para(text('indented'))]);
	});

	it('reads quotes and lists, nested', () => {
		expect(parseMessage('> quoted **x**\n\n- one\n- two\n  1. inner')).toEqual([
			{ kind: 'quote', children: [para(text('quoted '), { kind: 'strong', children: [text('x')] })] },
			{
				kind: 'list',
				ordered: false,
				start: 1,
				items: [[para(text('one'))], [para(text('two')), { kind: 'list', ordered: true, start: 1, items: [[para(text('inner'))]] }]]
			}
		]);
		expect(parseMessage('3. three\n4. four')).toEqual([{ kind: 'list', ordered: true, start: 3, items: [[para(text('three'))], [para(text('four'))]] }]);
	});

	it('shows headings, rules, images and tables as the text they were written as', () => {
		expect(parseMessage('# Title')).toEqual([para(text('# Title'))]);
		expect(parseMessage('Title\n===')).toEqual([para(text('Title\n==='))]);
		expect(parseMessage('---')).toEqual([para(text('---'))]);
		expect(parseMessage('see ![cat](https://parley.example/cat.png)')).toEqual([para(text('see ![cat](https://parley.example/cat.png)'))]);
		expect(parseMessage('| a | b |\n| - | - |\n| 1 | 2 |')).toEqual([para(text('| a | b |\n| - | - |\n| 1 | 2 |'))]);
	});

	it('links written as Markdown, angle brackets or bare', () => {
		expect(parseMessage('[docs](https://parley.example/docs) <https://parley.example/a>')).toEqual([
			para(link('https://parley.example/docs', 'docs'), text(' '), link('https://parley.example/a'))
		]);
		expect(parseMessage('mail ana@parley.example')).toEqual([para(text('mail '), link('mailto:ana@parley.example', 'ana@parley.example'))]);
	});

	it('finds bare http(s) and www links, without trailing punctuation', () => {
		expect(parseMessage('see https://parley.example/a?b=1, or www.example.org.')).toEqual([
			para(text('see '), link('https://parley.example/a?b=1'), text(', or '), link('https://www.example.org', 'www.example.org'), text('.'))
		]);
	});

	it('keeps a closing bracket that belongs to the link', () => {
		expect(parseMessage('(https://en.wikipedia.org/wiki/Yjs_(software))')).toEqual([
			para(text('('), link('https://en.wikipedia.org/wiki/Yjs_(software)'), text(')'))
		]);
	});

	it('never makes javascript:, data: or relative links', () => {
		expect(parseMessage('javascript:alert(1) data:text/html,x')).toEqual([para(text('javascript:alert(1) data:text/html,x'))]);
		expect(parseMessage('[x](javascript:alert(1)) [y](/api/rooms) [z](data:text/html,hi)')).toEqual([
			para(text('[x](javascript:alert(1)) [y](/api/rooms) [z](data:text/html,hi)'))
		]);
	});

	it('a link with no label shows its address', () => {
		expect(parseMessage('[](https://parley.example/)')).toEqual([para(link('https://parley.example/'))]);
	});

	it('shows nesting deeper than it renders as text', () => {
		const lines = Array.from({ length: 12 }, (_, i) => `${'  '.repeat(i)}- level ${i}`);
		let depth = 0;
		let blocks = parseMessage(lines.join('\n'));
		while (blocks[0].kind === 'list') {
			depth++;
			blocks = blocks[0].items[0];
			if (blocks.length > 1) blocks = blocks.slice(1);
		}
		expect(depth).toBe(8);
		expect(blocks).toEqual([para(text(lines.slice(8).join('\n').trimStart()))]);
	});

	it('shows a message too intricate to parse quickly as written', () => {
		for (const written of ['>'.repeat(4000), '- '.repeat(2000), '> - '.repeat(1000), '1. '.repeat(1300), '*a'.repeat(2000), `${' '.repeat(40)}- x`])
			expect(parseMessage(written)).toEqual([para(text(written))]);
		expect(parseMessage('> > > > > > > > deep enough')[0].kind).toBe('quote');
	});
});

describe('safeHref', () => {
	it('allows web and mail links only', () => {
		expect(safeHref('https://parley.example/x')).toBe('https://parley.example/x');
		expect(safeHref('http://parley.example/x')).toBe('http://parley.example/x');
		expect(safeHref('mailto:ana@parley.example')).toBe('mailto:ana@parley.example');
		for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'vbscript:x', '/relative', 'file:///etc/passwd', ''])
			expect(safeHref(bad)).toBeUndefined();
	});
});

describe('mentions', () => {
	it('become mention nodes where the message lists them, also inside formatting, never in code', () => {
		expect(parseMessage('hi <@u_1-a>, **<@u2>** `<@u2>`', ['u_1-a', 'u2'])).toEqual([
			{
				kind: 'paragraph',
				children: [
					{ kind: 'text', text: 'hi ' },
					{ kind: 'mention', userId: 'u_1-a' },
					{ kind: 'text', text: ', ' },
					{ kind: 'strong', children: [{ kind: 'mention', userId: 'u2' }] },
					{ kind: 'text', text: ' ' },
					{ kind: 'code', text: '<@u2>' }
				]
			}
		]);
	});

	it('stay text when the message does not list them', () => {
		expect(parseMessage('hi <@u2>')).toEqual([{ kind: 'paragraph', children: [{ kind: 'text', text: 'hi <@u2>' }] }]);
	});
});
