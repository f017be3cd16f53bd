import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH, messageValue } from '../core/chat/schema.ts';
import { draftLength } from './message-length.ts';

describe('draftLength', () => {
	it('says nothing far from the limit', () => {
		expect(draftLength('hello', 100)).toEqual({ length: 5, near: false, overBy: 0 });
	});

	it('is near from 90% of the limit and over past it', () => {
		expect(draftLength('x'.repeat(89), 100).near).toBe(false);
		expect(draftLength('x'.repeat(90), 100)).toEqual({ length: 90, near: true, overBy: 0 });
		expect(draftLength('x'.repeat(100), 100).overBy).toBe(0);
		expect(draftLength('x'.repeat(112), 100)).toEqual({ length: 112, near: true, overBy: 12 });
	});

	it('counts what is stored: the trimmed text, in the units the server checks', () => {
		expect(draftLength(`  ${'x'.repeat(100)}\n\n`, 100).overBy).toBe(0);
		const atLimit = '😀'.repeat(MAX_TEXT_LENGTH);
		expect(draftLength(atLimit).overBy).toBe(0);
		expect(messageValue.safeParse({ text: atLimit, createdAt: 1 }).success).toBe(true);
		expect(draftLength(`${atLimit}x`).overBy).toBe(1);
		expect(messageValue.safeParse({ text: `${atLimit}x`, createdAt: 1 }).success).toBe(false);
	});
});
