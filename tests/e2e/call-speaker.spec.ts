import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium.ts';
import { createRoomWith, joinCall, signUpInBrowser } from './support/ui.ts';

/** A WAV file: a steady tone (someone talking) or silence. */
function wav(name: string, volume: number) {
	const file = join(mkdtempSync(join(tmpdir(), 'parley-audio-')), `${name}.wav`);
	execFileSync('sox', ['-n', '-r', '48000', '-c', '1', file, 'synth', '30', 'sine', '440', 'vol', String(volume)]);
	return file;
}

test('the active speaker is highlighted for the others', async ({ baseURL }) => {
	test.setTimeout(90_000);
	// Each person needs their own fake microphone, so each gets their own browser.
	const browsers = await Promise.all(
		[wav('talking', 0.8), wav('quiet', 0)].map((audio) =>
			chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${audio}`] })
		)
	);
	const pages = [];
	const people = [];
	for (const [i, browser] of browsers.entries()) {
		const context = await browser.newContext({ baseURL });
		await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
		const page = await context.newPage();
		people.push(await signUpInBrowser(page, i === 0 ? 'Talker' : 'Listener'));
		pages.push(page);
	}
	const [talker, listener] = pages;
	await createRoomWith(talker, 'Who speaks', [people[1]]);
	await listener.goto(talker.url());
	for (const page of [talker, listener]) await joinCall(page);
	const participants = (page: typeof talker) => page.getByRole('list', { name: 'Participants' });
	await expect(participants(listener).getByRole('listitem', { name: new RegExp(`^${people[0].name}`) })).toHaveAttribute('aria-current', 'true', { timeout: 20_000 });
	// The quiet one is never the speaker.
	await expect(participants(talker).getByRole('listitem', { name: new RegExp(`^${people[1].name}`) })).not.toHaveAttribute('aria-current', 'true');
	await Promise.all(browsers.map((b) => b.close()));
});
