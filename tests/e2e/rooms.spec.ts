import { expect, test, type Page } from '@playwright/test';
import { fillSignUp, signUpInBrowser, twoPeople } from './support/ui.ts';
import { newPerson } from './support/users.ts';

test('invite link: a new person signs up through it, is seen live, made admin, and leaves', async ({ browser }) => {
	const a = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
	const b = await browser.newContext();
	const pageA = await a.newPage();
	const pageB = await b.newPage();

	await signUpInBrowser(pageA, 'Alice');
	await pageA.getByRole('button', { name: 'New room' }).click();
	await pageA.getByRole('textbox', { name: 'Room name' }).fill('Book club');
	await pageA.getByRole('button', { name: 'Create' }).click();
	await expect(pageA.getByRole('heading', { name: 'Book club' })).toBeVisible();
	const roomUrl = pageA.url();

	await pageA.getByRole('link', { name: 'Room settings' }).click();
	await pageA.getByRole('button', { name: 'Create invite link' }).click();
	const link = await pageA.getByRole('textbox', { name: 'Invite link' }).inputValue();
	expect(link).toMatch(/\/invite\/[\w-]{22,}$/);
	await pageA.getByRole('button', { name: 'Copy link' }).click();
	await expect(pageA.getByRole('button', { name: 'Copied' })).toBeVisible();
	expect(await pageA.evaluate(() => navigator.clipboard.readText())).toBe(link);

	// B is new: the invite page sends them through sign-up and back, straight into the room.
	await pageB.goto(link);
	await pageB.getByRole('link', { name: 'Create an account' }).click();
	const bob = { ...newPerson('Bob') };
	await fillSignUp(pageB, bob);
	await expect(pageB).toHaveURL(roomUrl);
	await expect(pageB.getByRole('heading', { name: 'Book club' })).toBeVisible();

	// A sees B in the member list without reloading.
	const members = pageA.getByRole('list', { name: 'Members' });
	await expect(members).toContainText(bob.name);

	await pageA.getByRole('combobox', { name: `Role of ${bob.name}` }).selectOption('admin');
	await expect(pageA.getByRole('status')).toContainText(`${bob.name} is now an admin`);

	// B's view follows: as an admin they can now manage invites.
	await pageB.getByRole('link', { name: 'Room settings' }).click();
	await expect(pageB.getByRole('button', { name: 'Create invite link' })).toBeVisible();
	await pageB.getByRole('button', { name: 'Leave room' }).click();
	await pageB.getByRole('dialog').getByRole('button', { name: 'Leave room' }).click();
	await expect(pageB.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(pageB.getByRole('list', { name: 'Rooms' })).toHaveCount(0);

	await expect(members).not.toContainText(bob.name);
	await a.close();
	await b.close();
});

test('being added to or removed from a room shows up at once', async ({ browser }) => {
	const { a, b, pageA, pageB, first: alice, second: bob } = await twoPeople(browser);

	// A creates a room with B, finding B by exact email.
	await pageA.getByRole('button', { name: 'New room' }).click();
	await pageA.getByRole('textbox', { name: 'Room name' }).fill('Weekend plans');
	await pageA.getByRole('searchbox', { name: 'Add people' }).fill(bob.email);
	await pageA.getByRole('button', { name: `Add ${bob.name}` }).click();
	await expect(pageA.getByRole('list', { name: 'People to add' })).toContainText(bob.name);
	await pageA.getByRole('button', { name: 'Create' }).click();
	await expect(pageA.getByRole('heading', { name: 'Weekend plans' })).toBeVisible();

	// B's lobby, open all along, shows the invitation (not the room: B is no member until accepting).
	const invitations = pageB.getByRole('list', { name: 'Invitations' });
	await expect(invitations).toContainText(`${alice.name} invited you to Weekend plans`);
	await expect(pageB.getByRole('list', { name: 'Rooms' })).toHaveCount(0);
	await pageB.getByRole('button', { name: 'Accept invitation to Weekend plans' }).click();
	await expect(pageB.getByRole('heading', { name: 'Weekend plans' })).toBeVisible();

	// A renames the room and removes B; B, looking at it, is told and taken to the lobby.
	await pageA.getByRole('link', { name: 'Room settings' }).click();
	await pageA.getByRole('textbox', { name: 'Room name' }).fill('Weekend trip');
	await pageA.getByRole('button', { name: 'Save' }).click();
	await expect(pageB.getByRole('heading', { name: 'Weekend trip' })).toBeVisible();

	await pageA.getByRole('button', { name: `Remove ${bob.name}` }).click();
	await pageA.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
	await expect(pageB.getByRole('status').filter({ hasText: 'You are no longer a member of that room.' })).toBeVisible();
	await expect(pageB.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(pageA.getByRole('list', { name: 'Members' })).not.toContainText(bob.name);
	expect(alice.name).not.toBe(bob.name);
	await a.close();
	await b.close();
});

test('an invitation can be declined or cancelled; a direct room is a message request, reopened after leaving, stopped by a block', async ({ browser }) => {
	const { a, b, pageA, pageB, first: alice, second: bob } = await twoPeople(browser);

	await createRoomInviting(pageA, 'Quiet room', bob);
	await pageA.getByRole('link', { name: 'Room settings' }).click();
	await expect(pageA.getByRole('list', { name: 'Invited' })).toContainText(bob.name);
	await expect(pageA.getByRole('list', { name: 'Members' })).not.toContainText(bob.name);

	// B declines: the invitation goes from B's lobby and from A's settings, live.
	await pageB.getByRole('button', { name: 'Decline invitation to Quiet room' }).click();
	await expect(pageB.getByRole('list', { name: 'Invitations' })).toHaveCount(0);
	await expect(pageA.getByRole('list', { name: 'Invited' })).toHaveCount(0);

	// A invites again, then cancels: B's lobby follows.
	await pageA.getByRole('searchbox', { name: 'Add people' }).fill(bob.email);
	await pageA.getByRole('button', { name: `Add ${bob.name}` }).click();
	await expect(pageB.getByRole('button', { name: 'Accept invitation to Quiet room' })).toBeVisible();
	await pageA.getByRole('button', { name: `Cancel invitation of ${bob.name}` }).click();
	await expect(pageB.getByRole('list', { name: 'Invitations' })).toHaveCount(0);

	// A direct room is a request B accepts.
	const direct = await pageA.evaluate((id) => fetch('/api/rooms/direct', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id }) }).then((r) => r.json()), await idOf(pageB));
	await expect(pageB.getByRole('list', { name: 'Invitations' })).toContainText(`${alice.name} wants to message you`);
	await pageB.getByRole('button', { name: `Accept message request from ${alice.name}` }).click();
	await expect(pageB).toHaveURL(new RegExp(`/rooms/${direct.id}$`));

	// B leaves it; A opens it again: B gets a new request (before the fix: never again, 404).
	await pageB.goto(`/rooms/${direct.id}/settings`);
	await pageB.getByRole('button', { name: 'Leave room' }).click();
	await pageB.getByRole('dialog').getByRole('button', { name: 'Leave room' }).click();
	await expect(pageB.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	const reopened = await pageA.evaluate((id) => fetch('/api/rooms/direct', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id }) }).then((r) => r.status), await idOf(pageB));
	expect(reopened).toBe(200);
	await expect(pageB.getByRole('button', { name: `Accept message request from ${alice.name}` })).toBeVisible();

	// B blocks A from the request: it is gone, and A can neither message nor invite B.
	await pageB.getByRole('button', { name: `Block ${alice.name}` }).click();
	await expect(pageB.getByRole('list', { name: 'Invitations' })).toHaveCount(0);
	const blocked = await pageA.evaluate((id) => fetch('/api/rooms/direct', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id }) }).then((r) => r.status), await idOf(pageB));
	expect(blocked).toBe(403);

	// B unblocks in Settings.
	await pageB.getByRole('link', { name: 'Settings' }).click();
	await pageB.getByRole('button', { name: `Unblock ${alice.name}` }).click();
	await expect(pageB.getByRole('list', { name: 'Blocked people' })).toHaveCount(0);
	await a.close();
	await b.close();
});

test('a member removed and banned cannot come back through the invite link they used, until the ban is lifted', async ({ browser }) => {
	const { a, b, pageA, pageB, second: bob } = await twoPeople(browser);
	await createRoomInviting(pageA, 'Club');
	await pageA.getByRole('link', { name: 'Room settings' }).click();
	await pageA.getByRole('button', { name: 'Create invite link' }).click();
	const link = await pageA.getByRole('textbox', { name: 'Invite link' }).inputValue();

	await pageB.goto(link);
	await pageB.getByRole('button', { name: 'Join' }).click();
	await expect(pageB.getByRole('heading', { name: 'Club' })).toBeVisible();

	await pageA.getByRole('button', { name: `Remove ${bob.name}` }).click();
	await pageA.getByRole('dialog').getByRole('checkbox', { name: /Also ban/ }).check();
	await pageA.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
	await expect(pageA.getByRole('list', { name: 'Banned' })).toContainText(bob.name);
	await expect(pageB.getByRole('heading', { name: 'Your rooms' })).toBeVisible();

	// The same link: the page says why, and the API refuses with 403.
	await pageB.goto(link);
	await expect(pageB.getByText(/banned from joining it again/)).toBeVisible();
	await expect(pageB.getByRole('button', { name: 'Join' })).toHaveCount(0);
	const token = link.split('/').at(-1);
	const refused = await pageB.evaluate((t) => fetch(`/api/invites/${t}/accept`, { method: 'POST' }).then(async (r) => ({ status: r.status, body: await r.json() })), token);
	expect(refused.status).toBe(403);
	expect(refused.body.error).toMatch(/banned/);

	await pageA.getByRole('button', { name: `Lift ban on ${bob.name}` }).click();
	await expect(pageA.getByRole('list', { name: 'Banned' })).toHaveCount(0);
	await pageB.reload();
	await pageB.getByRole('button', { name: 'Join' }).click();
	await expect(pageB.getByRole('heading', { name: 'Club' })).toBeVisible();
	await a.close();
	await b.close();
});

/** Creates a room from the lobby, inviting `invitee` if given (who does not accept), and opens it. */
async function createRoomInviting(page: Page, roomName: string, invitee?: { name: string; email: string }) {
	await page.getByRole('button', { name: 'New room' }).click();
	await page.getByRole('textbox', { name: 'Room name' }).fill(roomName);
	if (invitee) {
		await page.getByRole('searchbox', { name: 'Add people' }).fill(invitee.email);
		await page.getByRole('button', { name: `Add ${invitee.name}` }).click();
	}
	await page.getByRole('button', { name: 'Create' }).click();
	await expect(page.getByRole('heading', { name: roomName })).toBeVisible();
}

/** The signed-in person's user id, from their session. */
async function idOf(page: Page): Promise<string> {
	return page.evaluate(() => fetch('/api/auth/get-session').then((r) => r.json()).then((s: { user: { id: string } }) => s.user.id));
}

test('"New message" in the lobby finds a person and opens the direct room with them, the same one the next time', async ({ browser }) => {
	const { pageA, pageB, first: alice, second: bob, close } = await twoPeople(browser);
	const writeTo = async () => {
		await expect(pageA.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
		await pageA.getByRole('button', { name: 'New message' }).click();
		const dialog = pageA.getByRole('dialog', { name: 'New message' });
		await dialog.getByRole('searchbox', { name: 'Write to' }).fill(bob.email);
		await dialog.getByRole('button', { name: `Message ${bob.name}` }).click();
		await expect(pageA.getByRole('heading', { name: bob.name, level: 1 })).toBeVisible();
		return pageA.url();
	};
	const first = await writeTo();
	// Bob is asked, as with every direct room.
	await expect(pageB.getByRole('list', { name: 'Invitations' })).toContainText(`${alice.name} wants to message you`);
	await pageA.getByRole('link', { name: 'Back to the lobby' }).click();
	expect(await writeTo()).toBe(first);
	await close();
});
