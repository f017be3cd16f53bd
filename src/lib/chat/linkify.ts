/** Plain text split into text and links, so links can be made clickable without ever rendering HTML. */
export type Segment = { text: string } | { text: string; href: string };

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
const TRAILING = /[.,;:!?)\]}'"]+$/;

export function linkify(text: string): Segment[] {
	const segments: Segment[] = [];
	let last = 0;
	for (const match of text.matchAll(URL_PATTERN)) {
		let url = match[0];
		const trailing = TRAILING.exec(url)?.[0] ?? '';
		// Keep a closing bracket that belongs to the link, e.g. https://en.wikipedia.org/wiki/Yjs_(software).
		const keep = trailing.startsWith(')') && url.includes('(') ? 1 : 0;
		url = url.slice(0, url.length - trailing.length + keep);
		const start = match.index!;
		if (start > last) segments.push({ text: text.slice(last, start) });
		const href = url.toLowerCase().startsWith('www.') ? `https://${url}` : url;
		segments.push({ text: url, href });
		last = start + url.length;
	}
	if (last < text.length) segments.push({ text: text.slice(last) });
	return segments;
}
