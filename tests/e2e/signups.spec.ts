import { expect, test } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { call, signUpPerson, type Person } from './support/api-client.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { fillSignUp } from './support/ui.ts';
import { newPerson } from './support/users.ts';

/** Signs up over the API, optionally with the invite or sign-up link token the form would send; answers the status and body. */
async function rawSignUp(server: RunningServer, token?: string) {
	const person = newPerson();
	const headers: Record<string, string> = { 'content-type': 'application/json', origin: server.url };
	if (token) headers['x-parley-signup-token'] = token;
	const res = await fetch(`${server.url}/api/auth/sign-up/email`, { method: 'POST', headers, body: JSON.stringify(person) });
	return { status: res.status, body: (await res.json().catch(() => null)) as { message?: string; code?: string } | null };
}

test.describe('sign-up modes', () => {
	test('open: the first account becomes the administrator, anyone else can sign up and is not one', async () => {
		const server = await startServer({ SIGNUPS: 'open' });
		try {
			const first = await signUpPerson(server.url);
			const second = await signUpPerson(server.url);
			for (const path of ['/api/admin/status', '/api/admin/people?q=', '/api/admin/rooms', '/api/admin/audit']) expect((await call(server.url, first, 'GET', path)).status).toBe(200);
			expect((await call(server.url, first, 'PUT', '/api/admin/settings', { signups: 'closed' })).status).toBe(204);
			expect((await call(server.url, first, 'PUT', '/api/admin/settings', { signups: 'anyone' })).status).toBe(400);
			expect((await rawSignUp(server)).status).toBe(403);
			expect((await call(server.url, first, 'PUT', '/api/admin/settings', { signups: null })).status).toBe(204);
			const room = await call<{ id: string }>(server.url, second, 'POST', '/api/rooms', { name: 'Attic', memberIds: [] });
			expect((await call(server.url, first, 'DELETE', `/api/admin/rooms/${room.body.id}`)).status).toBe(204);
			expect((await call(server.url, second, 'GET', `/api/rooms/${room.body.id}`)).status).toBe(404);
			for (const path of ['/api/admin/status', '/api/admin/people', '/api/admin/rooms', '/api/admin/audit']) expect((await call(server.url, second, 'GET', path)).status).toBe(403);
			expect((await call(server.url, second, 'POST', '/api/admin/signup-links')).status).toBe(403);
			// An administrator's reset link (handed over in person) works once, and ends the person's other sessions.
			const reset = await call<{ url: string }>(server.url, first, 'POST', `/api/admin/people/${second.id}/reset-link`);
			expect(reset.status).toBe(201);
			const token = new URL(reset.body.url).searchParams.get('token')!;
			const post = (path: string, body: unknown) => fetch(`${server.url}/api/auth/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body) });
			expect((await post('reset-password', { token, newPassword: 'handed over password' })).status).toBe(200);
			expect((await post('sign-in/email', { email: second.email, password: 'handed over password' })).status).toBe(200);
			expect((await post('reset-password', { token, newPassword: 'handed over twice' })).status).toBe(400);
			expect((await call(server.url, second, 'GET', '/api/rooms')).status).toBe(401);
		} finally {
			await server.stop();
		}
	});

	test('invite: plain sign-up is refused in the UI and over the API; a room invite link lets a new person in', async ({ page, browser }) => {
		const server = await startServer({ SIGNUPS: 'invite' });
		try {
			const admin = await signUpPerson(server.url);
			const refused = await rawSignUp(server);
			expect(refused.status).toBe(403);
			expect(refused.body?.message).toMatch(/by invitation/);

			await page.goto(`${server.url}/signup`);
			await expect(page.getByRole('alert')).toContainText('Sign-up here is by invitation', { timeout: 10_000 });
			await expect(page.getByRole('button', { name: 'Sign up' })).toHaveCount(0);
			// The refusal says how sign-up works here; the mode note does not say it a second time.
			await expect(page.getByText(/by invitation/)).toHaveCount(1);

			const room = await call<{ id: string }>(server.url, admin, 'POST', '/api/rooms', { name: 'Porch', memberIds: [] });
			const invite = await call<{ token: string }>(server.url, admin, 'POST', `/api/rooms/${room.body.id}/invites`, {});
			expect(invite.status).toBe(201);
			// The invite page's "Create an account" button, and after sign-up straight into the room (never /invite/undefined).
			const visited: string[] = [];
			page.on('framenavigated', (frame) => {
				if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
			});
			await page.goto(`${server.url}/invite/${invite.body.token}`);
			await page.getByRole('link', { name: 'Create an account' }).click();
			await expect(page).toHaveURL(/\/signup\?next=/);
			const invited = newPerson('Invited');
			await fillSignUp(page, invited);
			await expect(page).toHaveURL(new RegExp(`/rooms/${room.body.id}$`), { timeout: 15_000 });
			await expect(page.getByRole('heading', { name: 'Porch' })).toBeVisible();
			expect(visited.filter((path) => path.includes('undefined'))).toEqual([]);

			// Sent to sign-up with the invite page itself as `next` (no ?join=1): back on that invite page, not /invite/undefined.
			const other = await (await browser.newContext()).newPage();
			const otherVisited: string[] = [];
			other.on('framenavigated', (frame) => {
				if (frame === other.mainFrame()) otherVisited.push(new URL(frame.url()).pathname);
			});
			await other.goto(`${server.url}/signup?next=/invite/${invite.body.token}`);
			await fillSignUp(other, newPerson('Second'));
			await expect(other).toHaveURL(new RegExp(`/invite/${invite.body.token}$`), { timeout: 15_000 });
			await other.getByRole('button', { name: 'Join', exact: true }).click();
			await expect(other).toHaveURL(new RegExp(`/rooms/${room.body.id}$`), { timeout: 15_000 });
			expect(otherVisited.filter((path) => path.includes('undefined'))).toEqual([]);
			const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ email: invited.email, password: invited.password }) });
			expect(signIn.status).toBe(200);
			expect((await rawSignUp(server, 'not-a-real-token')).status).toBe(403);
		} finally {
			await server.stop();
		}
	});

	test('closed: refused even with a room invite; an admin sign-up link works once', async () => {
		const server = await startServer({ SIGNUPS: 'closed' });
		try {
			const admin = await signUpPerson(server.url);
			const refused = await rawSignUp(server);
			expect(refused.status).toBe(403);
			expect(refused.body?.message).toMatch(/closed/);
			const room = await call<{ id: string }>(server.url, admin, 'POST', '/api/rooms', { name: 'Porch', memberIds: [] });
			const invite = await call<{ token: string }>(server.url, admin, 'POST', `/api/rooms/${room.body.id}/invites`, {});
			expect((await rawSignUp(server, invite.body.token)).status).toBe(403);
			const link = await call<{ url: string }>(server.url, admin, 'POST', '/api/admin/signup-links');
			expect(link.status).toBe(201);
			const token = new URL(link.body.url).searchParams.get('link')!;
			expect((await rawSignUp(server, token)).status).toBe(200);
			const again = await rawSignUp(server, token);
			expect(again.status).toBe(403);
			expect(again.body?.message).toMatch(/used or has expired/);
		} finally {
			await server.stop();
		}
	});
});

test('a disabled account cannot sign in, and its open page loses its session', async ({ page }) => {
	const server = await startServer({ SIGNUPS: 'open' });
	try {
		const admin = await signUpPerson(server.url);
		const person = newPerson('Dora');
		await page.goto(`${server.url}/signup`);
		await fillSignUp(page, person);
		await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible({ timeout: 15_000 });
		const people = await call<{ people: { id: string; email: string }[] }>(server.url, admin, 'GET', `/api/admin/people?q=${encodeURIComponent(person.email)}`);
		const id = people.body.people.find((p) => p.email === person.email)!.id;

		expect((await call(server.url, admin, 'PATCH', `/api/admin/people/${id}`, { disabled: 'yes' })).status).toBe(400);
		expect((await call(server.url, admin, 'PATCH', `/api/admin/people/${admin.id}`, { disabled: true })).status).toBe(409);
		expect((await call(server.url, admin, 'PATCH', `/api/admin/people/${id}`, { disabled: true })).status).toBe(200);

		await expect.poll(async () => (await page.request.get(`${server.url}/api/rooms`)).status(), { timeout: 15_000 }).toBe(401);
		await page.reload();
		await expect(page).toHaveURL(/\/signin/, { timeout: 15_000 });
		const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({ email: person.email, password: person.password })
		});
		expect(signIn.status).toBe(403);
		expect(((await signIn.json()) as { message: string }).message).toMatch(/disabled/);

		expect((await call(server.url, admin, 'PATCH', `/api/admin/people/${id}`, { disabled: false })).status).toBe(200);
		const back = await fetch(`${server.url}/api/auth/sign-in/email`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({ email: person.email, password: person.password })
		});
		expect(back.status).toBe(200);
	} finally {
		await server.stop();
	}
});

test('reset by e-mail: forgot password, the mail arrives, its link sets a new password that signs in', async ({ page }) => {
	const mails: string[] = [];
	const sink = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, _session, done) {
			let text = '';
			stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
			stream.on('end', () => {
				mails.push(text);
				done();
			});
		}
	});
	await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
	const port = (sink.server.address() as { port: number }).port;
	const server = await startServer({ SIGNUPS: 'open', SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Parley <parley@parley.test>' });
	try {
		const person: Person = await signUpPerson(server.url, 'Rita');
		await page.goto(`${server.url}/signin`);
		await page.getByRole('link', { name: 'Forgot password?' }).click();
		// The sign-in page has an Email field too: fill the new page's, not the one still showing while it loads.
		await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
		await page.getByRole('textbox', { name: 'Email' }).fill(person.email);
		await page.getByRole('button', { name: 'Send the link' }).click();
		await expect(page.getByRole('status')).toContainText('a link is on its way', { timeout: 20_000 });

		await expect.poll(() => mails.length, { timeout: 15_000 }).toBe(1);
		const body = mails[0].replace(/=\r?\n/g, '').replace(/=3D/g, '=');
		expect(body).toContain('Reset your Parley password');
		const url = /http:\/\/\S+\/reset-password\?token=[A-Za-z0-9_%-]+/.exec(body)?.[0];
		expect(url).toBeTruthy();

		await page.goto(url!);
		await page.getByLabel('New password').fill('a brand new password');
		await page.getByRole('button', { name: 'Save the password' }).click();
		await expect(page.getByRole('status')).toContainText('Your password is changed', { timeout: 10_000 });

		await page.goto(`${server.url}/signin`);
		await page.getByRole('textbox', { name: 'Email' }).fill(person.email);
		await page.getByLabel('Password').fill('a brand new password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible({ timeout: 15_000 });
	} finally {
		await server.stop();
		await new Promise<void>((resolve) => sink.close(() => resolve()));
	}
});
