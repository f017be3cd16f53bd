import { describe, expect, it } from 'vitest';
import { mentionsAsNames, mentionPieces } from '../core/chat/mentions.ts';
import { draftToMessage, matchMembers, mentionQuery, messageToDraft } from './mention-draft.ts';

const people = [
	{ userId: 'u-ann', name: 'Ann' },
	{ userId: 'u-annlee', name: 'Ann Lee' },
	{ userId: 'u-boris', name: 'Борис Ёлкин' },
	{ userId: 'u-zoe', name: 'Zoë Adams' },
	{ userId: 'u-olga', name: 'ОЛЬГА' }
];

describe('matchMembers', () => {
	it('folds case in every script: lower-case Cyrillic finds the capitalised name', () => {
		expect(matchMembers(people, 'бор').map((p) => p.userId)).toEqual(['u-boris']);
		expect(matchMembers(people, 'ольг').map((p) => p.userId)).toEqual(['u-olga']);
		expect(matchMembers(people, 'ёлк').map((p) => p.userId)).toEqual(['u-boris']);
		expect(matchMembers(people, 'елк').map((p) => p.userId)).toEqual(['u-boris']);
	});

	it('drops marks and matches the start of any word, names that begin with it first', () => {
		expect(matchMembers(people, 'zoe').map((p) => p.userId)).toEqual(['u-zoe']);
		expect(matchMembers(people, 'ADA').map((p) => p.userId)).toEqual(['u-zoe']);
		expect(matchMembers(people, 'lee').map((p) => p.userId)).toEqual(['u-annlee']);
		expect(matchMembers(people, 'a').map((p) => p.userId)).toEqual(['u-ann', 'u-annlee', 'u-zoe']);
		expect(matchMembers(people, '').length).toBe(5);
		expect(matchMembers(people, 'nn')).toEqual([]);
	});
});

describe('mentionQuery', () => {
	it('finds "@letters" just before the caret, at the start or after a space', () => {
		expect(mentionQuery('hi @бо', 6)).toEqual({ start: 3, query: 'бо' });
		expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
		expect(mentionQuery('hi @bo there', 6)).toEqual({ start: 3, query: 'bo' });
		expect(mentionQuery('mail me@example', 15)).toBeNull();
		expect(mentionQuery('**@бо', 5)).toEqual({ start: 2, query: 'бо' });
		expect(mentionQuery('hi @bo there', 12)).toBeNull();
	});
});

describe('draftToMessage and messageToDraft', () => {
	it('turns each chosen "@Name" into its token, longer names first', () => {
		expect(draftToMessage('hi @Ann Lee and @Ann!', people)).toEqual({ text: 'hi <@u-annlee> and <@u-ann>!', mentions: ['u-annlee', 'u-ann'] });
		expect(draftToMessage('@Борис Ёлкин, привет', people)).toEqual({ text: '<@u-boris>, привет', mentions: ['u-boris'] });
	});

	it('leaves "@Name" that was not chosen, or that runs on into a longer word, as text', () => {
		expect(draftToMessage('hi @Ann', [])).toEqual({ text: 'hi @Ann', mentions: [] });
		expect(draftToMessage('hi @Annabel', [people[0]])).toEqual({ text: 'hi @Annabel', mentions: [] });
		expect(draftToMessage('a@Ann @Ann', [people[0]])).toEqual({ text: 'a<@u-ann> <@u-ann>', mentions: ['u-ann'] });
	});

	it('gives an edited message back as the draft it was, with its people', () => {
		const nameOf = (id: string) => people.find((p) => p.userId === id)!.name;
		const { draft, chosen } = messageToDraft('hi <@u-annlee> and <@u-ann>!', ['u-annlee', 'u-ann'], nameOf);
		expect(draft).toBe('hi @Ann Lee and @Ann!');
		expect(draftToMessage(draft, chosen)).toEqual({ text: 'hi <@u-annlee> and <@u-ann>!', mentions: ['u-annlee', 'u-ann'] });
	});
});

describe('mention pieces', () => {
	it('show listed mentions by current name; tokens not listed stay text', () => {
		expect(mentionPieces('hi <@u-ann>, <@x>', ['u-ann'])).toEqual([{ text: 'hi ' }, { userId: 'u-ann' }, { text: ', <@x>' }]);
		expect(mentionsAsNames('hi <@u-ann>', ['u-ann'], () => 'Annie')).toBe('hi @Annie');
		expect(mentionsAsNames('hi <@u-ann>', undefined, () => 'Annie')).toBe('hi <@u-ann>');
	});
});
