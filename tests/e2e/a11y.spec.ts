import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';
import { call, createRoomWithMembers, signUpPerson, type Person } from './support/api-client.ts';
import { startServer, type RunningServer } from './support/server.ts';

/** axe-core's WCAG 2.0 A and AA rules, on each page in each of these looks. */
const TAGS = ['wcag2a', 'wcag2aa'];
const LOOKS = [
	{ name: 'desktop light', viewport: { width: 1440, height: 900 }, colorScheme: 'light' },
	{ name: 'desktop dark', viewport: { width: 1440, height: 900 }, colorScheme: 'dark' },
	{ name: 'phone light', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
	{ name: 'phone dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' }
] as const;

type World = { server: RunningServer; admin: Person; member: Person; roomId: string };
let world: World;

test.beforeAll(async () => {
	const server = await startServer({ SIGNUPS: 'open' });
	// The first account is the instance's administrator.
	const admin = await signUpPerson(server.url, 'Ada Admin');
	const member = await signUpPerson(server.url, 'Mia Member');
	const room = await createRoomWithMembers(server.url, admin, 'Reading room', [member]);
	expect((await call(server.url, admin, 'POST', `/api/admin/people/${member.id}/reset-link`)).status).toBe(201);
	world = { server, admin, member, roomId: room.id };
});

test.afterAll(async () => {
	await world?.server.stop();
});

async function pageAs(browser: Browser, who: Person, look: (typeof LOOKS)[number]): Promise<Page> {
	const context = await browser.newContext({ baseURL: world.server.url, viewport: look.viewport, colorScheme: look.colorScheme });
	const [name, value] = who.cookie.split('=');
	await context.addCookies([{ name, value, url: world.server.url }]);
	return context.newPage();
}

/** A room with an image and a voice message in it, written once per worker through the admin's browser. */
let filesRoom: Promise<string> | undefined;
function roomWithFiles(browser: Browser): Promise<string> {
	filesRoom ??= (async () => {
		const room = await createRoomWithMembers(world.server.url, world.admin, 'Photo room', [world.member]);
		const page = await pageAs(browser, world.admin, LOOKS[0]);
		await page.goto(`/rooms/${room.id}`);
		const chooser = page.waitForEvent('filechooser');
		await page.getByRole('button', { name: 'Attach file' }).click();
		const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#446688' } }).png().toBuffer();
		await (await chooser).setFiles([{ name: 'lake.png', mimeType: 'image/png', buffer: photo }]);
		await page.getByRole('textbox', { name: 'Message' }).fill('At the lake');
		await page.getByRole('textbox', { name: 'Message' }).press('Enter');
		await page.getByRole('button', { name: 'Record voice message' }).click();
		await expect(page.getByRole('timer')).toHaveText(/^0:0[1-9]$/, { timeout: 15_000 });
		await page.getByRole('button', { name: 'Send voice message' }).click();
		await expect(page.getByRole('slider', { name: 'Position' })).toBeVisible({ timeout: 15_000 });
		await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 15_000 });
		await page.context().close();
		return room.id;
	})();
	return filesRoom;
}

/** The reading room with a message using every kind of formatting, written once per worker through the admin's browser. */
const FORMATTED = '**Bold**, _italic_, ~~struck~~, `code` and [a link](https://parley.example/)\n\n> a quote\n\n1. first\n2. second\n\n```\nconst x = 1;\n```';
let formatted: Promise<void> | undefined;
function formattedMessage(browser: Browser): Promise<void> {
	formatted ??= (async () => {
		const page = await pageAs(browser, world.admin, LOOKS[0]);
		await page.goto(`/rooms/${world.roomId}`);
		await page.getByRole('textbox', { name: 'Message' }).fill(FORMATTED);
		await page.getByRole('textbox', { name: 'Message' }).press('Enter');
		await expect(page.getByText('Sending…')).toHaveCount(0);
		await page.context().close();
	})();
	return formatted;
}

/** Runs axe on the page as it is and fails with a readable list of what it found. */
async function expectNoViolations(page: Page) {
	const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
	expect(found).toEqual([]);
}

for (const look of LOOKS) {
	test.describe(look.name, () => {
		test(`/admin, with its links shown and its dialog open`, async ({ browser }) => {
			const page = await pageAs(browser, world.admin, look);
			await page.goto('/admin');
			await expect(page.getByRole('heading', { name: 'Administration', level: 1 })).toBeVisible();
			await page.getByRole('button', { name: 'Create a sign-up link' }).click();
			await expect(page.getByRole('textbox', { name: 'Sign-up link' })).toBeVisible();
			await page.getByRole('button', { name: /^Reset-password link for Mia Member/ }).click();
			await expect(page.getByRole('textbox', { name: /^Reset-password link for Mia Member/ })).toBeVisible();
			await expectNoViolations(page);
			await page.getByRole('button', { name: /^Disable Mia Member/ }).click();
			await expect(page.getByRole('dialog')).toBeVisible();
			await expectNoViolations(page);
			await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
			await page.close();
		});

		test(`the lobby`, async ({ browser }) => {
			const page = await pageAs(browser, world.member, look);
			await page.goto('/');
			await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
			await expect(page.getByText('Reading room')).toBeVisible();
			await expectNoViolations(page);
			await page.close();
		});

		test(`a room page, with a formatted message`, async ({ browser }) => {
			await formattedMessage(browser);
			const page = await pageAs(browser, world.member, look);
			await page.goto(`/rooms/${world.roomId}`);
			await expect(page.getByRole('heading', { name: 'Reading room' })).toBeVisible();
			await expect(page.getByRole('log', { name: 'Messages' }).locator('pre code')).toHaveText('const x = 1;');
			await expect(page.getByRole('textbox', { name: /message/i })).toBeVisible();
			await expectNoViolations(page);
			await page.close();
		});

		test(`a room with an image and a voice message, the file viewer open, a voice message recording`, async ({ browser }) => {
			test.slow();
			const roomId = await roomWithFiles(browser);
			const page = await pageAs(browser, world.member, look);
			await page.goto(`/rooms/${roomId}`);
			await expect(page.getByRole('slider', { name: 'Position' })).toBeVisible({ timeout: 15_000 });
			await expect(page.getByRole('button', { name: 'Open lake.png' })).toBeVisible();
			await expectNoViolations(page);
			await page.getByRole('button', { name: 'Open lake.png' }).click();
			await expect(page.getByRole('dialog', { name: 'lake.png' })).toBeVisible();
			await expectNoViolations(page);
			await page.keyboard.press('Escape');
			await page.getByRole('button', { name: 'Record voice message' }).click();
			await expect(page.getByRole('timer')).toBeVisible({ timeout: 15_000 });
			await expectNoViolations(page);
			await page.getByRole('button', { name: 'Cancel recording' }).click();
			await page.close();
		});

		test(`a page not found, and a room that is not there`, async ({ browser }) => {
			const page = await pageAs(browser, world.member, look);
			for (const [path, heading] of [
				['/no/such/page', 'Page not found'],
				['/rooms/no-such-room', 'This room isn’t available']
			]) {
				await page.goto(path);
				await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
				await expectNoViolations(page);
				// Nothing wider than a phone's screen.
				expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), path).toBe(true);
			}
			await page.close();
		});

		test(`/settings`, async ({ browser }) => {
			const page = await pageAs(browser, world.member, look);
			await page.goto('/settings');
			await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
			await expectNoViolations(page);
			await page.close();
		});

		test(`/account`, async ({ browser }) => {
			const page = await pageAs(browser, world.member, look);
			await page.goto('/account');
			await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
			await expectNoViolations(page);
			// The deletion's confirmation, open.
			await page.getByRole('button', { name: 'Delete my account…' }).click();
			await expect(page.getByLabel('Your password, to confirm')).toBeFocused();
			await expectNoViolations(page);
			expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
			await page.close();
		});
	});
}
