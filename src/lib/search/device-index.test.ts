import { describe, expect, it } from 'vitest';
import { newMessageKey } from '../core/chat/message-key.ts';
import { queryTerms } from '../core/search/search-text.ts';
import { DeviceSearchIndex } from './device-index.ts';

const at = (author: string, time: number, text: string): [string, unknown] => [newMessageKey(author, time), { text, createdAt: time }];

describe('DeviceSearchIndex', () => {
	it('finds a capitalised Cyrillic name typed in lower case, newest first, in the allowed rooms only', () => {
		const index = new DeviceSearchIndex();
		index.addRoom('a', [at('ann', 1000, 'Привет, Ольга!'), at('bob', 3000, 'ОЛЬГА придёт'), at('ann', 2000, 'nothing here')]);
		index.addRoom('b', [at('bob', 4000, 'ольга тоже')]);
		const found = (query: string, inRoom?: (id: string) => boolean) => index.search(queryTerms(query), 10, inRoom).map((hit) => hit.snippet);
		expect(found('ольга')).toEqual(['ольга тоже', 'ОЛЬГА придёт', 'Привет, Ольга!']);
		expect(found('ольга', (room) => room === 'a')).toEqual(['ОЛЬГА придёт', 'Привет, Ольга!']);
		expect(found('придет')).toEqual(['ОЛЬГА придёт']);
		expect(index.search(queryTerms('ольга'), 2).map((hit) => hit.roomId)).toEqual(['b', 'a']);
	});

	it('keeps a message once when two of a room’s documents hold it, and skips what is not a message', () => {
		const index = new DeviceSearchIndex();
		const message = at('ann', 1000, 'twice');
		index.addRoom('a', [message, ['not-a-key', { text: 'twice' }], at('ann', 5, '')]);
		index.addRoom('a', [message]);
		expect(index.size).toBe(1);
		expect(index.search(queryTerms('twice'), 10)).toHaveLength(1);
	});

	it('shows mentions in snippets by the names the device knows', () => {
		const index = new DeviceSearchIndex();
		index.addRoom('a', [at('ann', 1000, 'lunch <@u-bo> and <@u-gone>?')]);
		expect(index.search(queryTerms('lunch'), 10, undefined, (id) => (id === 'u-bo' ? 'Bo' : undefined)).map((hit) => hit.snippet)).toEqual(['lunch @Bo and @…?']);
	});

	it('finds a mention by the mentioned person’s name, in any case and script, with the other words', () => {
		const index = new DeviceSearchIndex();
		index.addRoom('a', [at('ann', 1000, 'lunch with <@u-olga>?'), at('ann', 2000, 'lunch alone'), at('bob', 3000, 'Ольга, lunch?')]);
		const people: [string, string][] = [
			['u-olga', 'Ольга Петрова'],
			['u-bo', 'Bo']
		];
		const nameOf = (id: string) => people.find(([p]) => p === id)?.[1];
		const found = (query: string) => index.search(queryTerms(query), 10, undefined, nameOf, people).map((hit) => hit.snippet);
		expect(found('ольга lunch')).toEqual(['Ольга, lunch?', 'lunch with @Ольга Петрова?']);
		expect(found('петр')).toEqual(['lunch with @Ольга Петрова?']);
		expect(found('bo lunch')).toEqual([]);
	});
});
