import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import { findLiterals, pluralForms } from './literals.ts';

/**
 * Every language has every message, and no component shows a person English that is not from
 * the catalogues: text, and the attributes people read (aria-label, placeholder, title, alt, label).
 */
const ROOT = join(import.meta.dirname, '../../..');
const catalogue = (locale: string) => JSON.parse(readFileSync(join(ROOT, 'messages', `${locale}.json`), 'utf8')) as Record<string, unknown>;
const keys = (locale: string) => Object.keys(catalogue(locale)).filter((k) => k !== '$schema');

function svelteFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : svelteFiles(path);
		return entry.name.endsWith('.svelte') ? [path] : [];
	});
}

describe('the message catalogues', () => {
	it('have the same keys in English and Russian', () => {
		const en = keys('en');
		const ru = keys('ru');
		expect(en.filter((k) => !ru.includes(k)), 'in en.json, not in ru.json').toEqual([]);
		expect(ru.filter((k) => !en.includes(k)), 'in ru.json, not in en.json').toEqual([]);
	});

	it('give Russian plurals their one, few and many forms, and English its one', () => {
		const ru = catalogue('ru');
		const en = catalogue('en');
		for (const key of keys('ru')) {
			const forms = pluralForms(ru[key]);
			if (forms) expect(forms, `ru ${key}`).toEqual(expect.arrayContaining(['one', 'few', 'many', '*']));
			const enForms = pluralForms(en[key]);
			if (enForms) expect(enForms, `en ${key}`).toEqual(expect.arrayContaining(['one', '*']));
		}
	});
});

describe('components', () => {
	const files = svelteFiles(join(ROOT, 'src'));

	it('are found', () => expect(files.length).toBeGreaterThan(20));

	it.each(files.map((f) => relative(ROOT, f)))('%s shows no English outside the catalogues', (file) => {
		const ast = parse(readFileSync(join(ROOT, file), 'utf8'), { modern: true });
		expect(findLiterals(ast.fragment)).toEqual([]);
	});
});
