import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { mentionPieces } from '../core/chat/mentions.ts';

/**
 * A message's text as a small tree of the Markdown a chat allows: bold, italic, strike, inline code,
 * code blocks, quotes, lists and links. The UI renders this tree node by node, so no HTML written in a
 * message is ever interpreted: it stays text, like everything the tree does not know.
 */
export type Inline =
	| { kind: 'text'; text: string }
	| { kind: 'strong' | 'emphasis' | 'strike'; children: Inline[] }
	| { kind: 'code'; text: string }
	| { kind: 'link'; href: string; children: Inline[] }
	/** A person the message mentions (mentions.ts): shown by their current name. */
	| { kind: 'mention'; userId: string };

export type Block =
	| { kind: 'paragraph'; children: Inline[] }
	| { kind: 'code'; text: string }
	| { kind: 'quote'; children: Block[] }
	| { kind: 'list'; ordered: boolean; start: number; items: Block[][] };

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
// Deeper nesting than this is shown as the text it was written as: a message of 4,000 ">" must not
// become 4,000 nested elements.
const MAX_DEPTH = 8;
// The parser's time grows with the square of nesting and of emphasis runs; text past these bounds is shown
// as written rather than let one message stall every reader's timeline.
const NESTED_TOO_DEEP = new RegExp(`^(?:[ \\t]*(?:>|[-*+](?=[ \\t])|\\d{1,9}[.)](?=[ \\t]))){${MAX_DEPTH + 1},}|^[ \\t]{${MAX_DEPTH * 5},}(?:>|[-*+][ \\t]|\\d{1,9}[.)][ \\t])`, 'm');
const MAX_EMPHASIS_MARKS = 1000;

const PARSE_OPTIONS = {
	extensions: [
		gfmStrikethrough({ singleTilde: false }),
		gfmAutolinkLiteral(),
		// Raw HTML stays text; headings, rules, indented code and reference definitions are not chat formatting,
		// and character references (&amp;) show as typed.
		{ disable: { null: ['htmlFlow', 'htmlText', 'headingAtx', 'setextUnderline', 'thematicBreak', 'codeIndented', 'definition', 'characterReference'] } }
	],
	mdastExtensions: [gfmStrikethroughFromMarkdown(), gfmAutolinkLiteralFromMarkdown()]
};

/** `mentions`: the people the message lists as mentioned; their tokens in its text become mention nodes (not in code). */
export function parseMessage(text: string, mentions?: readonly string[]): Block[] {
	if (tooIntricate(text)) return withMentions([{ kind: 'paragraph', children: [{ kind: 'text', text }] }], mentions);
	const root = fromMarkdown(text, PARSE_OPTIONS);
	return withMentions(blocks(root.children, text, 0), mentions);
}

function withMentions(list: Block[], mentions: readonly string[] | undefined): Block[] {
	if (!mentions?.length) return list;
	const inline = (nodes: Inline[]): Inline[] =>
		nodes.flatMap((node): Inline[] => {
			if (node.kind === 'text') return mentionPieces(node.text, mentions).map((piece) => ('userId' in piece ? { kind: 'mention', userId: piece.userId } : { kind: 'text', text: piece.text }));
			if (node.kind === 'strong' || node.kind === 'emphasis' || node.kind === 'strike' || node.kind === 'link') return [{ ...node, children: inline(node.children) }];
			return [node];
		});
	const block = (b: Block): Block => {
		if (b.kind === 'paragraph') return { kind: 'paragraph', children: inline(b.children) };
		if (b.kind === 'quote') return { kind: 'quote', children: b.children.map(block) };
		if (b.kind === 'list') return { ...b, items: b.items.map((item) => item.map(block)) };
		return b;
	};
	return list.map(block);
}

/** The link a message may carry, or undefined: only web and mail links, never javascript:, data: or relative ones. */
export function safeHref(url: string): string | undefined {
	try {
		return LINK_PROTOCOLS.has(new URL(url).protocol) ? url : undefined;
	} catch {
		return undefined;
	}
}

function tooIntricate(text: string): boolean {
	if (NESTED_TOO_DEEP.test(text)) return true;
	let marks = 0;
	for (const char of text) if ((char === '*' || char === '_' || char === '~') && ++marks > MAX_EMPHASIS_MARKS) return true;
	return false;
}

function sourceOf(node: Nodes, text: string): string {
	const start = node.position?.start.offset;
	const end = node.position?.end.offset;
	return start === undefined || end === undefined ? '' : text.slice(start, end);
}

function blocks(nodes: RootContent[], text: string, depth: number): Block[] {
	const out: Block[] = [];
	for (const node of nodes) {
		if (node.type === 'paragraph') out.push({ kind: 'paragraph', children: inlines(node.children, text, depth) });
		else if (node.type === 'code') out.push({ kind: 'code', text: node.value });
		else if (depth >= MAX_DEPTH) out.push({ kind: 'paragraph', children: [{ kind: 'text', text: sourceOf(node, text) }] });
		else if (node.type === 'blockquote') out.push({ kind: 'quote', children: blocks(node.children, text, depth + 1) });
		else if (node.type === 'list')
			out.push({
				kind: 'list',
				ordered: node.ordered === true,
				start: node.start ?? 1,
				items: node.children.map((item) => blocks(item.children, text, depth + 1))
			});
		else out.push({ kind: 'paragraph', children: [{ kind: 'text', text: sourceOf(node, text) }] });
	}
	return out;
}

function inlines(nodes: PhrasingContent[], text: string, depth: number): Inline[] {
	const out: Inline[] = [];
	const push = (node: Inline) => {
		const last = out.at(-1);
		if (node.kind === 'text' && last?.kind === 'text') last.text += node.text;
		else out.push(node);
	};
	for (const node of nodes) {
		if (node.type === 'text') push({ kind: 'text', text: node.value });
		else if (node.type === 'break') push({ kind: 'text', text: '\n' });
		else if (node.type === 'inlineCode') push({ kind: 'code', text: node.value });
		else if (depth >= MAX_DEPTH) push({ kind: 'text', text: sourceOf(node, text) });
		else if (node.type === 'strong') push({ kind: 'strong', children: inlines(node.children, text, depth + 1) });
		else if (node.type === 'emphasis') push({ kind: 'emphasis', children: inlines(node.children, text, depth + 1) });
		else if (node.type === 'delete') push({ kind: 'strike', children: inlines(node.children, text, depth + 1) });
		else if (node.type === 'link') {
			const href = safeHref(webLink(node.url, node.children));
			const children = inlines(node.children, text, depth + 1);
			if (href) push({ kind: 'link', href, children: children.length ? children : [{ kind: 'text', text: node.url }] });
			else push({ kind: 'text', text: sourceOf(node, text) });
		} else push({ kind: 'text', text: sourceOf(node, text) });
	}
	return out;
}

// A bare "www.example.org" is read as http://; browse it over https, as the address bar does.
function webLink(url: string, children: PhrasingContent[]): string {
	const only = children.length === 1 && children[0].type === 'text' ? children[0].value : undefined;
	return only?.toLowerCase().startsWith('www.') && url === `http://${only}` ? `https://${only}` : url;
}
