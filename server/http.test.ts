import { describe, expect, it } from 'vitest';
import { isHost } from './http.ts';

describe('isHost', () => {
	it('accepts names, addresses and ports that make a URL better-auth also accepts', () => {
		for (const host of ['127.0.0.1:3000', 'localhost', 'localhost:80', '[::1]:3000', 'chat.example.org', 'a-b.c:8080']) expect(isHost(host), host).toBe(true);
	});

	it('refuses hosts a request URL cannot be made from, or that would fail the session check', () => {
		for (const host of [undefined, '', 'a:99999', '[::1', 'a b', '@:@', 'x/..', '%E0%A4%A', '\u00ff\u00fe', 'x'.repeat(300), '-a', 'evil.example?x'])
			expect(isHost(host), String(host)).toBe(false);
	});
});
