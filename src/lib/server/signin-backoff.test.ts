import { describe, expect, it } from 'vitest';
import { SignInBackoff } from './signin-backoff.ts';

describe('SignInBackoff', () => {
	it('lets an account fail a few times, then makes it wait, twice as long after each further failure', () => {
		let now = 0;
		const backoff = new SignInBackoff({ freeFailures: 3, lockMs: 10_000, maxLockMs: 60_000, now: () => now });
		for (let i = 0; i < 2; i++) backoff.failed('ann@parley.test');
		expect(backoff.waitMs('ann@parley.test')).toBe(0);
		backoff.failed('ann@parley.test');
		expect(backoff.waitMs('ANN@parley.test')).toBe(10_000);
		now += 10_000;
		backoff.failed('ann@parley.test');
		expect(backoff.waitMs('ann@parley.test')).toBe(20_000);
		now += 20_000;
		backoff.failed('ann@parley.test');
		backoff.failed('ann@parley.test');
		expect(backoff.waitMs('ann@parley.test')).toBe(60_000);
		expect(backoff.waitMs('bob@parley.test')).toBe(0);
		backoff.succeeded('ann@parley.test');
		expect(backoff.waitMs('ann@parley.test')).toBe(0);
	});

	it('answers 429 with when to try again while the account waits, without asking better-auth', async () => {
		const backoff = new SignInBackoff({ freeFailures: 1, lockMs: 30_000 });
		const request = () => new Request('http://x/api/auth/sign-in/email', { method: 'POST', body: JSON.stringify({ email: 'ann@parley.test', password: 'wrong' }) });
		let asked = 0;
		const handle = async () => (asked++, new Response(null, { status: 401 }));
		expect((await backoff.guard(request(), handle)).status).toBe(401);
		const refused = await backoff.guard(request(), handle);
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('30');
		expect(await refused.json()).toEqual({ error: 'Too many failed sign-ins for this account. Try again in 30 seconds.', field: 'email' });
		expect(asked).toBe(1);
	});
});
