/** Text people type, in any script: initials for avatars, and names sorted as the language sorts them. */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The first letter of each of the first `count` words, upper-cased for the locale ("анна петрова" → "АП"); whole
 * graphemes, so emoji and accents stay intact. Words that start with a letter come first: "Bob Stone 25e3" is "BS".
 */
export function initials(name: string, count = 2, locale?: string): string {
	const words = name.trim().split(/\s+/u).filter((w) => /[\p{L}\p{N}\p{So}]/u.test(w));
	const lettered = words.filter((w) => /^[^\p{L}\p{N}\p{So}]*[\p{L}\p{So}]/u.test(w));
	return (lettered.length ? lettered : words)
		.slice(0, count)
		.map((word) => {
			const letters = word.replace(/^[^\p{L}\p{N}\p{So}]+/u, '');
			const first = graphemes.segment(letters)[Symbol.iterator]().next().value?.segment ?? '';
			return first.toLocaleUpperCase(locale);
		})
		.join('');
}

/** Compares names the way the locale sorts them: case and accents second ("ёж" beside "еж", "Анна" before "борис"). */
export function nameCollator(locale?: string): (a: string, b: string) => number {
	return new Intl.Collator(locale, { sensitivity: 'base', numeric: true }).compare;
}

/** A name for matching what people type: case folded in every script, compatibility forms unified, ё read as е. */
export function foldName(name: string): string {
	return name.normalize('NFKC').toLowerCase().replaceAll('ё', 'е');
}
