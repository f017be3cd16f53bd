import { expect, test, type Page } from '@playwright/test';
import { HEARD, LOOKS, answer, closePanel, expectNoViolations, openPeople, playedLevel, tiles, toolbar } from './support/call-page.ts';
import { CALL_UI_MS, REMOTE_VIDEO_MS } from './support/bounds.ts';
import { createRoomWith, joinCall, signUpInBrowser } from './support/ui.ts';

/** Join call (from the ringing dialog if it is still up) and Join on the pre-join screen. */
async function tryToJoin(page: Page) {
	const ringing = page.getByRole('alertdialog', { name: / is calling$/ });
	if (await ringing.isVisible()) await ringing.getByRole('button', { name: 'Join' }).click();
	else await page.getByRole('button', { name: 'Join call' }).click({ timeout: CALL_UI_MS });
	const prejoin = page.getByRole('group', { name: 'Before joining' });
	await expect(prejoin.getByLabel('Camera preview')).toBeVisible({ timeout: CALL_UI_MS });
	await prejoin.getByRole('button', { name: 'Join', exact: true }).click();
}

for (const look of LOOKS) {
	test(`${look.name}: the owner mutes Bob (the others stop hearing him, even if his browser goes on sending), locks the call against Dan, removes Cat, and ends the call for everyone${look.tag}`, async ({ browser }, info) => {
		test.setTimeout(420_000);
		const contexts = await Promise.all([0, 1, 2, 3].map(() => browser.newContext(look.options)));
		for (const context of contexts) await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
		const [a, b, c, d] = await Promise.all(contexts.map((context) => context.newPage()));
		try {
			const ann = await signUpInBrowser(a, 'Ann');
			const bob = await signUpInBrowser(b, 'Bob');
			const cat = await signUpInBrowser(c, 'Cat');
			const dan = await signUpInBrowser(d, 'Dan');
			await createRoomWith(a, 'Moderated', [bob, cat, dan]);
			for (const page of [b, c, d]) {
				await page.goto(a.url());
				await expect(page.getByRole('heading', { name: 'Moderated' })).toBeVisible();
			}
			await joinCall(a);
			await answer(b, ann.name);
			await answer(c, ann.name);
			for (const page of [a, b, c]) await expect(tiles(page).getByRole('listitem')).toHaveCount(3, { timeout: REMOTE_VIDEO_MS });
			for (const page of [a, b, c]) await closePanel(page);
			// Everyone hears Bob.
			await expect.poll(() => playedLevel(a, bob.name), { timeout: REMOTE_VIDEO_MS }).toBeGreaterThan(HEARD);
			await expect.poll(() => playedLevel(c, bob.name), { timeout: REMOTE_VIDEO_MS }).toBeGreaterThan(HEARD);

			// Bob and Cat are members: no moderation for them.
			const bobsPeople = await openPeople(b);
			await expect(bobsPeople.getByRole('listitem')).toHaveCount(3);
			await expect(b.getByRole('button', { name: `Mute ${ann.name}` })).toHaveCount(0);
			await expect(b.getByRole('button', { name: /^Remove .* from the call$/ })).toHaveCount(0);
			await expect(b.getByRole('button', { name: 'Lock the call' })).toHaveCount(0);
			await closePanel(b);

			// Ann, the owner, sees them in People.
			const people = await openPeople(a);
			await expect(a.getByRole('button', { name: `Mute ${bob.name}` })).toBeVisible();
			await expect(a.getByRole('button', { name: `Remove ${cat.name} from the call` })).toBeVisible();
			for (const scheme of ['light', 'dark'] as const) {
				await a.emulateMedia({ colorScheme: scheme });
				await a.screenshot({ path: info.outputPath(`moderation-people-${look.name}-${scheme}.png`) });
			}
			await a.emulateMedia({ colorScheme: 'light' });
			await expectNoViolations(a);

			// Ann mutes Bob: his microphone goes off and he is told who did it.
			await a.getByRole('button', { name: `Mute ${bob.name}` }).click();
			await expect(b.getByRole('alert').filter({ hasText: `${ann.name} muted you` })).toBeVisible({ timeout: CALL_UI_MS });
			await expect(toolbar(b).getByRole('button', { name: 'Unmute microphone' })).toBeVisible();
			await expect(people.getByRole('listitem', { name: new RegExp(`^${bob.name}: Microphone off`) })).toBeVisible({ timeout: CALL_UI_MS });
			await expect.poll(() => playedLevel(a, bob.name), { timeout: CALL_UI_MS }).toBeLessThan(HEARD);
			await expect.poll(() => playedLevel(c, bob.name), { timeout: CALL_UI_MS }).toBeLessThan(HEARD);
			await b.screenshot({ path: info.outputPath(`moderation-muted-${look.name}.png`) });
			await expectNoViolations(b);

			// A browser that ignores the mute (here: Bob's microphone turned back on behind the app's back) is still not played.
			await tiles(b)
				.getByRole('listitem', { name: `${bob.name} (you)`, exact: true })
				.locator('video')
				.evaluate((element: HTMLVideoElement) => {
					for (const track of (element.srcObject as MediaStream).getAudioTracks()) track.enabled = true;
				});
			await expect.poll(() => playedLevel(a, bob.name), { timeout: CALL_UI_MS, intervals: [2000] }).toBeLessThan(HEARD);
			expect(await playedLevel(c, bob.name)).toBeLessThan(HEARD);

			// Ann asks him to unmute: a prompt he accepts, and everyone hears him again.
			await a.getByRole('button', { name: `Ask ${bob.name} to unmute` }).click();
			const ask = b.getByRole('alertdialog', { name: `${ann.name} asks you to unmute` });
			await expect(ask).toBeVisible({ timeout: CALL_UI_MS });
			await ask.getByRole('button', { name: 'Unmute' }).click();
			await expect(ask).toBeHidden();
			await expect(toolbar(b).getByRole('button', { name: 'Mute microphone' })).toBeVisible();
			await expect.poll(() => playedLevel(a, bob.name), { timeout: CALL_UI_MS }).toBeGreaterThan(HEARD);
			await expect.poll(() => playedLevel(c, bob.name), { timeout: CALL_UI_MS }).toBeGreaterThan(HEARD);

			// Ann locks the call: everyone sees it, and Dan is refused with who locked it.
			await a.getByRole('button', { name: 'Lock the call' }).click();
			await expect(a.getByRole('button', { name: 'Unlock the call' })).toBeVisible();
			for (const page of [a, b, c]) await expect(page.getByRole('status').filter({ hasText: `Locked by ${ann.name}: nobody else can join` })).toBeVisible({ timeout: CALL_UI_MS });
			await closePanel(a);
			await tryToJoin(d);
			await expect(d.getByRole('alert').filter({ hasText: `This call is locked by ${ann.name}` })).toBeVisible({ timeout: CALL_UI_MS });
			await expect(d.getByRole('button', { name: 'Leave call' })).toHaveCount(0);
			await d.getByRole('button', { name: 'OK' }).click();
			await expect(tiles(a).getByRole('listitem')).toHaveCount(3);

			// Ann removes Cat: Cat is out, told who removed her, and cannot come back now.
			await openPeople(a);
			await a.getByRole('button', { name: `Remove ${cat.name} from the call` }).click();
			await expect(c.getByRole('alert').filter({ hasText: `${ann.name} removed you from the call` })).toBeVisible({ timeout: CALL_UI_MS });
			await expect(c.getByRole('button', { name: 'Leave call' })).toHaveCount(0);
			// Her browser left the call before the server took her call state away: nothing of hers was refused.
			await expect(c.getByText(/presence refused/)).toHaveCount(0);
			await closePanel(a);
			for (const page of [a, b]) await expect(tiles(page).getByRole('listitem')).toHaveCount(2, { timeout: CALL_UI_MS });
			await c.screenshot({ path: info.outputPath(`moderation-removed-${look.name}.png`) });
			await expectNoViolations(c);
			await c.getByRole('button', { name: 'OK' }).click();
			await tryToJoin(c);
			await expect(c.getByRole('alert').filter({ hasText: `${ann.name} removed you from the call` })).toBeVisible({ timeout: CALL_UI_MS });

			// Unlocked, Dan gets in.
			await openPeople(a);
			await a.getByRole('button', { name: 'Unlock the call' }).click();
			await expect(b.getByRole('status').filter({ hasText: 'Locked by' })).toHaveCount(0, { timeout: CALL_UI_MS });
			await tryToJoin(d);
			await expect(toolbar(d).getByRole('button', { name: 'Leave call' })).toBeVisible({ timeout: CALL_UI_MS });

			// Ann ends the call for everyone: Bob and Dan are out of it and told who ended it; the call is over.
			await openPeople(a);
			await a.getByRole('button', { name: 'End call for everyone' }).click();
			await expect(toolbar(a).getByRole('button', { name: 'Leave call' })).toHaveCount(0);
			for (const page of [b, d]) {
				await expect(page.getByRole('alert').filter({ hasText: `${ann.name} ended the call for everyone.` })).toBeVisible({ timeout: CALL_UI_MS });
				await expect(page.getByRole('button', { name: 'Leave call' })).toHaveCount(0);
			}
			// Nobody is left in it: the room's timeline says it ended, and Bob may start a new one.
			await expect(b.getByRole('log', { name: 'Messages' }).getByText(/Call ended/)).toBeVisible({ timeout: CALL_UI_MS });
			await b.getByRole('button', { name: 'OK' }).click();
			await expect(b.getByRole('button', { name: 'Start call' })).toBeVisible({ timeout: CALL_UI_MS });
		} finally {
			for (const context of contexts) await context.close();
		}
	});
}
