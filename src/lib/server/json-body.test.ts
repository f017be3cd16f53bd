import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiFailure } from './api-failure.ts';
import { readJsonBody } from './json-body.ts';

const schema = z.object({ name: z.string().min(1, 'Enter a name') });
const request = (body: string, type = 'application/json') =>
	new Request('http://x/api', { method: 'POST', headers: { 'content-type': type }, body });

async function failure(promise: Promise<unknown>): Promise<ApiFailure> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ApiFailure) return error;
		throw error;
	}
	throw new Error('expected an ApiFailure');
}

describe('readJsonBody', () => {
	it('returns valid data', async () => {
		expect(await readJsonBody(request('{"name":"Ann"}'), schema)).toEqual({ name: 'Ann' });
	});

	it('answers malformed JSON with 400 and a readable message', async () => {
		const f = await failure(readJsonBody(request('{"name":'), schema));
		expect(f.status).toBe(400);
		expect(f.message).toMatch(/not valid JSON/);
	});

	it('names the bad field', async () => {
		const f = await failure(readJsonBody(request('{"name":""}'), schema));
		expect([f.status, f.message, f.field]).toEqual([400, 'Enter a name', 'name']);
	});

	it('says so when the body is not an object', async () => {
		const f = await failure(readJsonBody(request('"hello"'), schema));
		expect([f.status, f.message, f.field]).toEqual([400, 'The request body must be a JSON object.', undefined]);
	});

	it('refuses a body that is not JSON', async () => {
		const f = await failure(readJsonBody(request('name=Ann', 'application/x-www-form-urlencoded'), schema));
		expect(f.status).toBe(415);
	});
});
