import { expect, test } from '@playwright/test';
import { call, createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { CALL_UI_MS } from './support/bounds.ts';
import { joinCall, messageLog, roomAs, sendMessage } from './support/ui.ts';

// What happens in a room besides messages is in its timeline, among the messages, for everyone in it: who created it,
// joined, left or was removed, renames, and calls with their length. The server tells it; live for those watching.

test('joins, a rename, a removal and a call with its length show among the messages, live', async ({ browser, baseURL }) => {
	test.slow();
	const ann = await signUpPerson(baseURL!, 'Ann');
	const bob = await signUpPerson(baseURL!, 'Bob');
	const cy = await signUpPerson(baseURL!, 'Cy');
	const room = await createRoomWithMembers(baseURL!, ann, 'Team', [bob, cy]);
	const bobPage = await roomAs(browser, baseURL!, bob, room.id);
	const log = messageLog(bobPage);
	await expect(log.getByText(`${ann.name} created the room`)).toBeVisible();
	await expect(log.getByText(`${cy.name} joined`)).toBeVisible();
	await expect(log.getByText('You joined')).toBeVisible();
	await sendMessage(bobPage, 'hello all');

	// A rename and a removal by Ann reach Bob's open room without a reload, after his message.
	expect((await call(baseURL!, ann, 'PATCH', `/api/rooms/${room.id}`, { name: 'Crew' })).status).toBe(200);
	await expect(log.getByText(`${ann.name} renamed the room to “Crew”`)).toBeVisible({ timeout: 15_000 });
	expect((await call(baseURL!, ann, 'DELETE', `/api/rooms/${room.id}/members/${cy.id}`)).status).toBe(204);
	await expect(log.getByText(`${ann.name} removed ${cy.name}`)).toBeVisible({ timeout: 15_000 });
	const order = await log.locator('p.event, article').allInnerTexts();
	const at = (text: string) => order.findIndex((row) => row.includes(text));
	expect(at('hello all')).toBeGreaterThan(at(`${cy.name} joined`));
	expect(at(`renamed the room`)).toBeGreaterThan(at('hello all'));

	// Ann calls and hangs up: Bob, who stayed out of it, sees that it started and how long it lasted.
	const annPage = await roomAs(browser, baseURL!, ann, room.id);
	await joinCall(annPage);
	await expect(log.getByText(`${ann.name} started a call`)).toBeVisible({ timeout: CALL_UI_MS });
	await expect(messageLog(annPage).getByText('You started a call')).toBeVisible({ timeout: CALL_UI_MS });
	await annPage.getByRole('button', { name: 'Leave call' }).click();
	await expect(log.getByText(/^Call ended · \d+ seconds?/)).toBeVisible({ timeout: CALL_UI_MS });

	// Cy, no longer a member, cannot read the room's timeline through its page data.
	const cyView = await call(baseURL!, cy, 'GET', `/rooms/${room.id}/__data.json`);
	expect(JSON.stringify(cyView.body)).not.toContain('renamed');

	// After a reload it is all still there.
	await bobPage.reload();
	await expect(log.getByText(`${ann.name} started a call`)).toBeVisible();
	await annPage.context().close();
	await bobPage.context().close();
});
