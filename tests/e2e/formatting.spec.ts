import { expect, test } from '@playwright/test';
import { messageLog, sendMessage, twoInARoom } from './support/ui.ts';

test('Markdown that renders and HTML that does not @phone', async ({ browser }) => {
	const { pageA, pageB, close } = await twoInARoom(browser, 'Formatting');
	const dialogs: string[] = [];
	pageB.on('dialog', (dialog) => (dialogs.push(dialog.message()), dialog.dismiss()));

	await sendMessage(pageA, '**bold** _italic_ ~~gone~~ `x < y` and [docs](https://parley.example/docs)');
	await sendMessage(pageA, 'look <img src=x onerror=alert(1)> <b>not bold</b> [bad](javascript:alert(2))');
	await sendMessage(pageA, '```\nconst a = **1**;\n<script>alert(3)</script>\n```');
	await sendMessage(pageA, '> quoted\n\n- one\n- two\n\n# not a heading');

	const log = messageLog(pageB);
	const formatted = log.getByRole('article').filter({ hasText: 'italic' });
	await expect(formatted.locator('strong')).toHaveText('bold');
	await expect(formatted.locator('em')).toHaveText('italic');
	await expect(formatted.locator('s')).toHaveText('gone');
	await expect(formatted.locator('code')).toHaveText('x < y');
	const docs = formatted.getByRole('link', { name: 'docs' });
	await expect(docs).toHaveAttribute('href', 'https://parley.example/docs');
	await expect(docs).toHaveAttribute('rel', 'noopener noreferrer nofollow');
	await expect(docs).toHaveAttribute('target', '_blank');

	// HTML is shown as the text it was written as; nothing in it becomes an element, and nothing runs.
	const html = log.getByRole('article').filter({ hasText: 'look' });
	await expect(html.getByText('look <img src=x onerror=alert(1)> <b>not bold</b> [bad](javascript:alert(2))')).toBeVisible();
	await expect(html.locator('.text img, .text b')).toHaveCount(0);
	await expect(html.getByRole('link')).toHaveCount(0);

	const codeMessage = log.getByRole('article').filter({ hasText: 'const a' });
	await expect(codeMessage.locator('pre > code')).toHaveText('const a = **1**;\n<script>alert(3)</script>');
	await expect(codeMessage.locator('.text script, .text strong')).toHaveCount(0);

	const blocks = log.getByRole('article').filter({ hasText: 'quoted' });
	await expect(blocks.locator('blockquote')).toHaveText('quoted');
	await expect(blocks.getByRole('listitem')).toHaveText(['one', 'two']);
	await expect(blocks.getByRole('heading')).toHaveCount(0);
	await expect(blocks.getByText('# not a heading')).toBeVisible();

	// The writer's own page renders the same way.
	await expect(messageLog(pageA).getByRole('article').filter({ hasText: 'italic' }).locator('strong')).toHaveText('bold');
	expect(dialogs).toEqual([]);
	await close();
});
