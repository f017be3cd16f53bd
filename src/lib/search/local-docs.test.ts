import { describe, expect, it } from 'vitest';
import { roomDocNames, roomOfDocName } from './local-docs.ts';

describe('local room documents', () => {
	it('groups a room’s plain document and its documents by period', () => {
		const names = ['parley-room-abc', 'parley-room-abc/2026-11', 'parley-room-abc/2026-12', 'parley-room-xyz/2026-12', 'parley-files', 'other', 'parley-room-'];
		expect(roomDocNames(names)).toEqual(
			new Map([
				['abc', ['parley-room-abc', 'parley-room-abc/2026-11', 'parley-room-abc/2026-12']],
				['xyz', ['parley-room-xyz/2026-12']]
			])
		);
		expect(roomOfDocName('parley-room-abcd')).toBe('abcd');
		expect(roomOfDocName('parley-roomabc')).toBeUndefined();
	});
});
