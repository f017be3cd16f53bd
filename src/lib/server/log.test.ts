import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';

describe('createLogger', () => {
	it('writes one JSON object per event and drops events below the level', () => {
		const lines: string[] = [];
		const log = createLogger('info', (l) => lines.push(l));
		log.debug('ignored');
		log.info('room.created', { roomId: 'r1' });
		log.error('failed', { error: new Error('boom') });
		expect(lines).toHaveLength(2);
		const first = JSON.parse(lines[0]);
		expect(first).toMatchObject({ level: 'info', event: 'room.created', roomId: 'r1' });
		expect(Date.parse(first.time)).not.toBeNaN();
		expect(JSON.parse(lines[1]).error.message).toBe('boom');
	});
});
