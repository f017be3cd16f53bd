import { expect, test } from '@playwright/test';
import { createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { longPress, messageLog, messageSheet, sendMessage, signedInContext } from './support/ui.ts';

test('shots', async ({ browser, baseURL }) => {
	test.setTimeout(180_000);
	const ada = await signUpPerson(baseURL!, 'Ada Lovelace');
	const bob = await signUpPerson(baseURL!, 'Bob Stone');
	const room = await createRoomWithMembers(baseURL!, ada, 'Design review', [bob]);
	const bp = await (await signedInContext(browser, baseURL!, bob)).newPage();
	await bp.goto(`${baseURL}/rooms/${room.id}`);
	await expect(bp.getByRole('textbox', { name: 'Message' })).toBeEnabled();
	for (const t of ['Morning! Is the review still at three?', 'I have the new mockups ready', 'Also: can someone book the big room?']) await sendMessage(bp, t);
	await expect(messageLog(bp).getByText('Sending…')).toHaveCount(0);
	const ap = await (await signedInContext(browser, baseURL!, ada)).newPage();
	await ap.goto(`${baseURL}/rooms/${room.id}`);
	await expect(messageLog(ap).getByRole('article')).toHaveCount(3);
	for (const t of ['Yes, three o’clock', 'Booked it just now']) await sendMessage(ap, t);
	await expect(messageLog(ap).getByText('Sending…')).toHaveCount(0);
	await bp.reload();
	await expect(messageLog(bp).getByRole('article')).toHaveCount(5);
	await sendMessage(bp, 'Great, thanks 🙏');
	await expect(messageLog(bp).getByText('Sending…')).toHaveCount(0);
	for (const [w, h, phone] of [[1440, 900, false], [390, 844, true]] as const) {
		for (const scheme of ['light', 'dark'] as const) {
			const ctx = await browser.newContext({ viewport: { width: w, height: h }, isMobile: phone, hasTouch: phone, colorScheme: scheme });
			const [name, ...value] = ada.cookie.split('=');
			await ctx.addCookies([{ name, value: value.join('='), url: baseURL! }]);
			const page = await ctx.newPage();
			await page.goto(`${baseURL}/rooms/${room.id}`);
			await expect(messageLog(page).getByRole('article')).toHaveCount(6);
			const tag = `${phone ? 'phone' : 'desktop'}-${scheme}`;
			const msg = messageLog(page).getByRole('article').filter({ hasText: 'new mockups' });
			if (!phone) await msg.hover();
			await page.screenshot({ path: `/tmp/wt-b-shots/${tag}-room.png` });
			if (phone) await longPress(msg);
			else {
				await msg.getByRole('button', { name: 'Message actions' }).click();
				await expect(messageSheet(page)).toBeVisible();
			}
			await page.screenshot({ path: `/tmp/wt-b-shots/${tag}-sheet.png` });
			await ctx.close();
		}
	}
});
