import { expect, test } from '@playwright/test';
import { LOOKS, expectNoViolations, toolbar, openPeople, closePanel } from './support/call-page.ts';
import { CALL_UI_MS } from './support/bounds.ts';
import { createRoomWith, joinCall, signUpInBrowser } from './support/ui.ts';


for (const look of LOOKS) {
	test(`${look.name}: a raised hand and a reaction are seen by the other person, in the queue and on the tile; the owner lowers someone's hand${look.tag}`, async ({ browser }, info) => {
		test.setTimeout(180_000);
		const contexts = await Promise.all([browser.newContext(look.options), browser.newContext(look.options)]);
		for (const context of contexts) await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
		const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
		try {
			const ann = await signUpInBrowser(a, 'Ann');
			const bob = await signUpInBrowser(b, 'Bob');
			// Ann made the room: she owns it. Bob is a member.
			await createRoomWith(a, 'Hands', [bob]);
			await b.goto(a.url());
			await expect(b.getByRole('heading', { name: 'Hands' })).toBeVisible();
			await joinCall(a);
			const ringing = b.getByRole('alertdialog', { name: `${ann.name} is calling` });
			await expect(ringing).toBeVisible({ timeout: CALL_UI_MS });
			await ringing.getByRole('button', { name: 'Join' }).click();
			const prejoin = b.getByRole('group', { name: 'Before joining' });
			await expect(prejoin.getByLabel('Camera preview')).toBeVisible({ timeout: CALL_UI_MS });
			await prejoin.getByRole('button', { name: 'Join', exact: true }).click();
			await expect(b.getByRole('list', { name: 'Participants' }).getByRole('listitem')).toHaveCount(2, { timeout: CALL_UI_MS });
			await expect(a.getByRole('list', { name: 'Participants' }).getByRole('listitem')).toHaveCount(2, { timeout: CALL_UI_MS });
			for (const page of [a, b]) await closePanel(page);

			// Ann raises her hand: Bob is told, and sees it on her tile and first in the queue.
			const raise = toolbar(a).getByRole('button', { name: 'Raise hand' });
			await expect(raise).toHaveAttribute('aria-pressed', 'false');
			await raise.click();
			const lower = toolbar(a).getByRole('button', { name: 'Lower hand' });
			await expect(lower).toHaveAttribute('aria-pressed', 'true');
			const moments = b.getByRole('log', { name: 'Reactions and raised hands' });
			await expect(moments).toContainText(`${ann.name} raised a hand`, { timeout: CALL_UI_MS });
			const annTile = b.getByRole('list', { name: 'Participants' }).getByRole('listitem', { name: ann.name, exact: true });
			await expect(annTile.getByRole('img', { name: `${ann.name} raised a hand, number 1 in the queue` })).toBeVisible();
			await b.emulateMedia({ reducedMotion: 'reduce' });

			// Ann sends 🎉: it floats over Bob's stage with her name (and is read out as "Ann reacted: Party").
			await toolbar(a).getByRole('button', { name: 'Send a reaction' }).click();
			const picker = a.getByRole('dialog', { name: 'Reactions' });
			await expect(picker.getByRole('button')).toHaveCount(6);
			await picker.getByRole('button', { name: 'Party' }).click();
			// Ann sees her own too.
			await expect(a.getByRole('log', { name: 'Reactions and raised hands' })).toContainText('You reacted: Party', { timeout: CALL_UI_MS });
			await expect(moments.getByText('🎉')).toBeVisible({ timeout: CALL_UI_MS });
			await expect(moments).toContainText(`${ann.name} reacted: Party`);
			await expect(moments.getByText(ann.name, { exact: true })).toBeVisible();
			for (const scheme of ['light', 'dark'] as const) {
				await b.emulateMedia({ colorScheme: scheme });
				await b.screenshot({ path: info.outputPath(`hand-reaction-stage-${look.name}-${scheme}.png`) });
			}
			await expectNoViolations(b);
			await a.screenshot({ path: info.outputPath(`hand-reaction-picker-${look.name}.png`) });
			await expectNoViolations(a);
			await a.keyboard.press('Escape');
			await expect(picker).toBeHidden();
			await expect(toolbar(a).getByRole('button', { name: 'Send a reaction' })).toBeFocused();

			const people = await openPeople(b);
			const queue = b.getByRole('list', { name: '1 raised hand' });
			await expect(queue.getByRole('listitem').first()).toContainText(ann.name);
			await expect(people.getByRole('listitem', { name: new RegExp(`^${ann.name}: .*hand raised, number 1 in the queue`) })).toBeVisible();
			await expect(people.getByRole('listitem', { name: new RegExp(`^${ann.name}: Microphone on, Camera on, Connection: `) })).toBeVisible();
			// Bob is a member: he cannot lower Ann's hand.
			await expect(queue.getByRole('button', { name: `Lower ${ann.name}’s hand` })).toHaveCount(0);
			for (const scheme of ['light', 'dark'] as const) {
				await b.emulateMedia({ colorScheme: scheme });
				await b.screenshot({ path: info.outputPath(`hand-people-${look.name}-${scheme}.png`) });
			}
			await expectNoViolations(b);

			// Ann lowers it: gone for Bob, from the queue, the list and her tile.
			await lower.click();
			await expect(toolbar(a).getByRole('button', { name: 'Raise hand' })).toHaveAttribute('aria-pressed', 'false');
			await expect(queue).toBeHidden({ timeout: CALL_UI_MS });
			await expect(people.getByRole('listitem', { name: new RegExp(`^${ann.name}: `) })).not.toHaveAccessibleName(/hand raised/);
			await closePanel(b);
			await expect(annTile.getByRole('img', { name: /raised a hand/ })).toHaveCount(0);

			// Bob raises his; Ann, the owner, lowers it from People, and Bob's browser lowers it.
			await toolbar(b).getByRole('button', { name: 'Raise hand' }).click();
			await expect(a.getByRole('log', { name: 'Reactions and raised hands' })).toContainText(`${bob.name} raised a hand`, { timeout: CALL_UI_MS });
			await openPeople(a);
			const annQueue = a.getByRole('list', { name: '1 raised hand' });
			await expect(annQueue.getByRole('button', { name: `Lower ${bob.name}’s hand` })).toBeVisible();
			await a.screenshot({ path: info.outputPath(`hand-moderator-${look.name}.png`) });
			await expectNoViolations(a);
			await annQueue.getByRole('button', { name: `Lower ${bob.name}’s hand` }).click();
			await expect(toolbar(b).getByRole('button', { name: 'Raise hand' })).toHaveAttribute('aria-pressed', 'false', { timeout: CALL_UI_MS });
			await expect(annQueue).toBeHidden({ timeout: CALL_UI_MS });
		} finally {
			await Promise.all(contexts.map((c) => c.close()));
		}
	});
}
