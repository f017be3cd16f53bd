import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.ts';

describe('safeNext', () => {
	it.each([
		['/rooms/abc', '/rooms/abc'],
		['/invite/t?x=1', '/invite/t?x=1'],
		[null, '/'],
		['', '/'],
		['https://evil.example', '/'],
		['//evil.example', '/'],
		['/\\evil.example', '/'],
		['rooms', '/'],
		['/rooms/a\tb', '/'],
		['/\t/evil.example', '/'],
		['/\n/evil.example', '/'],
		['/rooms\u0000', '/'],
		['/rooms/\u007f', '/'],
		['/\r\nSet-Cookie: x=1', '/'],
		['/\u0000', '/'],
		['/\uFFFD%A', '/%EF%BF%BD%A'],
		['/rooms/é?q=ü', '/rooms/%C3%A9?q=%C3%BC']
	])('%s → %s', (input, expected) => {
		expect(safeNext(input)).toBe(expected);
	});
});
