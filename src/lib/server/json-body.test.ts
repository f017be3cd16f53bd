import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJsonBody } from './json-body.ts';

const schema = z.object({ name: z.string().min(1, 'Enter a name') });
const request = (body: string, type = 'application/json') =>
	new Request('http://x/api', { method: 'POST', headers: { 'content-type': type }, body });

describe('parseJsonBody', () => {
	it('returns valid data', async () => {
		expect(await parseJsonBody(request('{"name":"Ann"}'), schema)).toEqual({ ok: true, data: { name: 'Ann' } });
	});

	it('answers malformed JSON with 400 and a readable message', async () => {
		const result = await parseJsonBody(request('{"name":'), schema);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.response.status).toBe(400);
		expect((await result.response.json()).error).toMatch(/not valid JSON/);
	});

	it('names the bad field', async () => {
		const result = await parseJsonBody(request('{"name":""}'), schema);
		if (result.ok) throw new Error('expected a failure');
		expect(result.response.status).toBe(400);
		expect(await result.response.json()).toEqual({ error: 'Enter a name', field: 'name' });
	});

	it('refuses a body that is not JSON', async () => {
		const result = await parseJsonBody(request('name=Ann', 'application/x-www-form-urlencoded'), schema);
		if (result.ok) throw new Error('expected a failure');
		expect(result.response.status).toBe(415);
	});
});

describe('a JSON body that is not an object', () => {
	it('is a 400 saying so', async () => {
		const result = await parseJsonBody(request('"hello"'), schema);
		if (result.ok) throw new Error('expected a failure');
		expect(await result.response.json()).toEqual({ error: 'The request body must be a JSON object.' });
	});
});
