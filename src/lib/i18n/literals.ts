/**
 * Finds text a person would read that a Svelte component writes literally instead of taking from
 * the message catalogues (for src/lib/i18n/catalogue.test.ts). Works on Svelte's modern AST.
 */

/** Attributes whose value people read (or hear). */
const READ_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'placeholder', 'title', 'alt', 'label']);

/** Words that are the same in every language: the product's name. */
const SAME_IN_EVERY_LANGUAGE = new Set(['Parley']);

/** Two letters in a row, in a word other than the allowed ones, is language. */
function isWords(text: string): boolean {
	const words = text.match(/\p{L}{2,}/gu) ?? [];
	return words.some((word) => !SAME_IN_EVERY_LANGUAGE.has(word));
}

type Node = { type: string; [key: string]: unknown };
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';

/** The strings an expression can evaluate to by itself: literals, template text, either branch of `?:`, `||`, `??`. */
function resultStrings(expression: unknown): string[] {
	if (!isNode(expression)) return [];
	switch (expression.type) {
		case 'Literal':
			return typeof expression.value === 'string' ? [expression.value] : [];
		case 'TemplateLiteral':
			return (expression.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked);
		case 'ConditionalExpression':
			return [...resultStrings(expression.consequent), ...resultStrings(expression.alternate)];
		case 'LogicalExpression':
			return [...resultStrings(expression.left), ...resultStrings(expression.right)];
		default:
			return [];
	}
}

function attributeTexts(value: unknown): string[] {
	if (value === true) return [];
	const parts = Array.isArray(value) ? value : [value];
	return parts.flatMap((part: Node) => (part.type === 'Text' ? [part.data as string] : part.type === 'ExpressionTag' ? resultStrings(part.expression) : []));
}

/** Each literal found, as "<where>: <text>". */
export function findLiterals(fragment: unknown): string[] {
	const found: string[] = [];
	const visit = (node: unknown, inStyleOrScript = false): void => {
		if (Array.isArray(node)) return node.forEach((child) => visit(child, inStyleOrScript));
		if (!isNode(node)) return;
		if (node.type === 'Text' && !inStyleOrScript && isWords(node.data as string)) found.push(`text: ${(node.data as string).trim()}`);
		if (node.type === 'ExpressionTag' && !inStyleOrScript) {
			for (const text of resultStrings(node.expression)) if (isWords(text)) found.push(`text: ${text.trim()}`);
		}
		if (node.type === 'Attribute' && READ_ATTRIBUTES.has(node.name as string)) {
			for (const text of attributeTexts(node.value)) if (isWords(text)) found.push(`${node.name as string}: ${text.trim()}`);
			return;
		}
		// Other attributes, and style and class directives (`style:--size={`${n}px`}`), are not read by anyone.
		if (node.type === 'Attribute' || node.type === 'StyleDirective' || node.type === 'ClassDirective') return;
		const skip = node.type === 'RegularElement' && (node.name === 'style' || node.name === 'script');
		for (const [key, value] of Object.entries(node)) {
			if (key === 'expression' && node.type === 'ExpressionTag') continue;
			if (typeof value === 'object') visit(value, inStyleOrScript || skip);
		}
	};
	visit(fragment);
	return found;
}

/** A message's plural forms ("one", "few", "many", "*"), or undefined when it is not a plural. */
export function pluralForms(message: unknown): string[] | undefined {
	if (!Array.isArray(message)) return undefined;
	const variant = message[0] as { selectors?: string[]; match?: Record<string, string> };
	if (!variant?.match) return undefined;
	return Object.keys(variant.match).map((key) => key.split('=')[1]);
}
