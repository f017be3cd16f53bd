import { expect, test, type Locator, type Page } from '@playwright/test';
import { LOOKS, expectNoViolations } from './support/call-page.ts';
import { CALL_UI_MS } from './support/bounds.ts';
import { createRoomWith, joinCall, messageLog, sendMessage, signUpInBrowser } from './support/ui.ts';

/** The element's box lies wholly inside the page's viewport (not scrolled or pushed out of it). */
async function expectInsideViewport(page: Page, locator: Locator) {
	await expect(locator).toBeVisible();
	const size = page.viewportSize()!;
	await expect
		.poll(async () => {
			const box = await locator.boundingBox();
			return !!box && box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
		})
		.toBe(true);
}

for (const look of LOOKS) {
	test(`${look.name}: the chat beside the call stays on the newest message with its composer on screen; People, the device menu, axe${look.tag}`, async ({ browser }, info) => {
		// Five axe runs and thirty messages with a call running: minutes on a slow two-core machine (each wait has its own bound).
		test.setTimeout(360_000);
		const contexts = await Promise.all([browser.newContext(look.options), browser.newContext(look.options)]);
		for (const context of contexts) await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
		const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
		try {
			const ann = await signUpInBrowser(a, 'Ann');
			const bob = await signUpInBrowser(b, 'Bob');
			await createRoomWith(a, 'Layout', [bob]);
			await b.goto(a.url());
			await expect(b.getByRole('heading', { name: 'Layout' })).toBeVisible();
			await joinCall(a);

			// Bob is rung: the banner above the page does not push his composer off the screen.
			const ringing = b.getByRole('alertdialog', { name: `${ann.name} is calling` });
			await expect(ringing).toBeVisible({ timeout: CALL_UI_MS });
			await expectInsideViewport(b, b.getByRole('textbox', { name: 'Message' }));
			await ringing.getByRole('button', { name: 'Join' }).click();
			const prejoin = b.getByRole('group', { name: 'Before joining' });
			await expect(prejoin.getByLabel('Camera preview')).toBeVisible({ timeout: CALL_UI_MS });
			await prejoin.getByRole('button', { name: 'Join', exact: true }).click();
			await expect(b.getByRole('button', { name: 'Leave call' })).toBeVisible({ timeout: CALL_UI_MS });
			await expect(b.getByRole('list', { name: 'Participants' }).getByRole('listitem')).toHaveCount(2, { timeout: CALL_UI_MS });

			// The chat opens beside the stage on a desktop by itself; on a phone the stage has the screen until Chat opens it over it.
			for (const page of [a, b]) {
				const chat = page.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Chat' });
				if (look.name === 'phone') {
					await expect(chat).toHaveAttribute('aria-pressed', 'false');
					await expect(page.getByRole('textbox', { name: 'Message' })).toBeHidden();
					await chat.click();
				}
				await expect(chat).toHaveAttribute('aria-pressed', 'true');
				await expect(page.getByRole('heading', { name: 'Chat', level: 2 })).toBeVisible();
			}
			if (look.name === 'desktop') await expectInsideViewport(b, b.getByRole('list', { name: 'Participants' }));

			for (let i = 1; i <= 30; i++) await sendMessage(a, `Message number ${i}`);
			const newest = messageLog(b).getByText('Message number 30', { exact: true });
			await expect(newest).toBeInViewport({ timeout: 20_000 });
			await expectInsideViewport(b, b.getByRole('textbox', { name: 'Message' }));

			// Closed and opened again (its height goes to nothing and back), the chat is still at the newest message.
			await b.getByRole('button', { name: 'Close panel' }).click();
			await expect(b.getByRole('textbox', { name: 'Message' })).toBeHidden();
			await sendMessage(a, 'Message number 31');
			await b.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'Chat' }).click();
			await expect(messageLog(b).getByText('Message number 31', { exact: true })).toBeInViewport({ timeout: 20_000 });
			await expectInsideViewport(b, b.getByRole('textbox', { name: 'Message' }));

			for (const scheme of ['light', 'dark'] as const) {
				await b.emulateMedia({ colorScheme: scheme });
				await b.screenshot({ path: info.outputPath(`call-chat-${look.name}-${scheme}.png`) });
				await expectNoViolations(b);
			}

			// People: both, with their microphones; Ann mutes and Bob sees it. (On a phone a panel is over the toolbar: it closes first.)
			if (look.name === 'phone') await b.getByRole('button', { name: 'Close panel' }).click();
			await b.getByRole('toolbar', { name: 'Call controls' }).getByRole('button', { name: 'People' }).click();
			const people = b.getByRole('list', { name: 'People in the call' });
			await expect(people.getByRole('listitem')).toHaveCount(2);
			await expect(people.getByRole('listitem', { name: new RegExp(`^${bob.name} \\(you\\): Microphone on`) })).toBeVisible();
			await expect(people.getByRole('listitem', { name: new RegExp(`^${ann.name}: Microphone on`) })).toBeVisible();
			// On a phone Ann's chat is over her stage and its toolbar: she closes it first.
			if (look.name === 'phone') await a.getByRole('button', { name: 'Close panel' }).click();
			await a.getByRole('button', { name: 'Mute microphone' }).click();
			await expect(people.getByRole('listitem', { name: new RegExp(`^${ann.name}: Microphone off`) })).toBeVisible({ timeout: CALL_UI_MS });
			for (const scheme of ['light', 'dark'] as const) {
				await b.emulateMedia({ colorScheme: scheme });
				await b.screenshot({ path: info.outputPath(`call-people-${look.name}-${scheme}.png`) });
				await expectNoViolations(b);
			}

			// The device menu, from the keyboard: it opens on Enter at the microphone, and Escape gives the focus back.
			if (look.name === 'phone') await b.getByRole('button', { name: 'Close panel' }).click();
			const settings = b.getByRole('button', { name: 'Call settings' });
			await settings.focus();
			await b.keyboard.press('Enter');
			const menu = b.getByRole('dialog', { name: 'Devices' });
			await expect(menu.getByRole('combobox', { name: 'Microphone' })).toBeFocused();
			await expect(settings).toHaveAttribute('aria-expanded', 'true');
			await b.screenshot({ path: info.outputPath(`call-devices-${look.name}.png`) });
			await expectNoViolations(b);
			await b.keyboard.press('Escape');
			await expect(menu).toBeHidden();
			await expect(settings).toBeFocused();
			await b.screenshot({ path: info.outputPath(`call-stage-${look.name}.png`) });

			// The time in the call runs.
			await expect(b.getByRole('timer', { name: 'Time in the call' })).toHaveText(/^\d\d:\d\d$/);
		} finally {
			await Promise.all(contexts.map((c) => c.close()));
		}
	});
}
