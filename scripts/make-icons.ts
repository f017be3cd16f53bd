// Renders static/icon.svg to the PNG icons the web app manifest lists, with Debian's Chromium.
// Run after changing the logo: node scripts/make-icons.ts (the PNGs are committed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const root = join(import.meta.dirname, '..');
const svg = readFileSync(join(root, 'static/icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
const render = async (file: string, size: number, padding: number, background: string) => {
	await page.setViewportSize({ width: size, height: size });
	const inner = size - 2 * padding;
	await page.setContent(`<body style="margin:0;background:${background}"><div style="padding:${padding}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div></body>`);
	await page.screenshot({ path: join(root, 'static', file), omitBackground: background === 'transparent' });
};
await render('icon-192.png', 192, 0, 'transparent');
await render('icon-512.png', 512, 0, 'transparent');
// Maskable: the logo inside the safe zone (80% circle) on a full-bleed background.
await render('icon-maskable-512.png', 512, 64, '#3557d4');
await render('apple-touch-icon.png', 180, 0, '#3557d4');
await browser.close();
