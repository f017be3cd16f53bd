// Pages of people in one call room, for the call benchmarks (call-join, sfu).
import type { Browser, Page } from '@playwright/test';

async function person(browser: Browser, baseURL: string, name: string) {
	const context = await browser.newContext({ baseURL });
	// Data saver (320×240 at 15 fps) unless VIDEO=640 asks for the full 640×480 (with simulcast on the SFU).
	if (process.env.VIDEO !== '640') await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
	// Keeps every peer connection reachable, so a benchmark can read their stats.
	await context.addInitScript(() => {
		const pcs: RTCPeerConnection[] = [];
		(window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = pcs;
		const Original = window.RTCPeerConnection;
		window.RTCPeerConnection = class extends Original {
			constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
				super(...args);
				pcs.push(this);
			}
		};
	});
	const page = await context.newPage();
	await page.goto('/signup');
	const email = `${name.replace(/\W/g, '').toLowerCase()}-${Date.now()}@parley.test`;
	await page.getByRole('textbox', { name: 'Name' }).fill(name);
	await page.getByRole('textbox', { name: 'Email' }).fill(email);
	await page.getByLabel('Password').fill('a long enough password');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await page.getByRole('heading', { name: 'Your rooms' }).waitFor();
	return { page, name, email };
}

export async function openPrejoin(page: Page) {
	await page.getByRole('button', { name: /^(Start|Join) call$/ }).click();
	await page.getByRole('group', { name: 'Before joining' }).getByLabel('Camera preview').waitFor();
}

/** Clicks Join and resolves with [first remote frame, all `expected` remote videos framed] in ms after the click. */
export async function timedJoin(page: Page, expected: number): Promise<[number, number]> {
	await openPrejoin(page);
	return page.evaluate(async (expected) => {
		const seen = new Set<HTMLVideoElement>();
		const times: number[] = [];
		const done = new Promise<void>((resolve) => {
			const watch = () => {
				for (const video of document.querySelectorAll<HTMLVideoElement>('[aria-label="Participants"] video:not([muted])')) {
					if (video.muted || seen.has(video)) continue;
					seen.add(video);
					video.requestVideoFrameCallback(() => {
						times.push(performance.now());
						if (times.length >= expected) resolve();
					});
				}
			};
			new MutationObserver(watch).observe(document.body, { subtree: true, childList: true, attributes: true });
		});
		const button = [...document.querySelectorAll<HTMLButtonElement>('[aria-label="Before joining"] button')].find((b) => b.textContent?.trim() === 'Join')!;
		const clicked = performance.now();
		button.click();
		await done;
		return [Math.min(...times) - clicked, Math.max(...times) - clicked] as [number, number];
	}, expected);
}

export async function leave(page: Page) {
	await page.getByRole('button', { name: 'Leave call' }).click();
	await page.getByRole('button', { name: /^(Start|Join) call$/ }).waitFor();
	await page.waitForTimeout(500);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];


/** `count` people signed up in `browser`, in one room (created by the first), each with it open. */
export async function callRoom(browser: Browser, baseURL: string, count: number) {
	const people = [];
	for (let i = 0; i < count; i++) people.push(await person(browser, baseURL, `Bench ${i + 1}`));
	const owner = people[0].page;
	await owner.getByRole('button', { name: 'New room' }).click();
	await owner.getByRole('textbox', { name: 'Room name' }).fill('Bench call');
	for (const p of people.slice(1)) {
		await owner.getByRole('searchbox', { name: 'Add people' }).fill(p.email);
		await owner.getByRole('button', { name: `Add ${p.name}` }).click();
	}
	await owner.getByRole('button', { name: 'Create' }).click();
	await owner.getByRole('heading', { name: 'Bench call' }).waitFor();
	// Being added is an invitation: each accepts before opening the room.
	const roomId = new URL(owner.url()).pathname.split('/').at(-1);
	for (const p of people.slice(1)) {
		await p.page.evaluate((id) => fetch(`/api/invitations/${id}`, { method: 'POST' }), roomId);
		await p.page.goto(owner.url());
	}
	return people;
}

/** Joins the call from the pre-join screen and waits until in it. */
export async function join(page: Page) {
	await openPrejoin(page);
	await page.getByRole('group', { name: 'Before joining' }).getByRole('button', { name: 'Join', exact: true }).click();
	await page.getByRole('button', { name: 'Leave call' }).waitFor();
}

/**
 * What this page's open peer connections carry right now: the video layers it sends (simulcast
 * rids, or 'single') and the width of each remote video it receives.
 */
export function videoStats(page: Page): Promise<{ layersSent: string[]; widthsReceived: number[] }> {
	return page.evaluate(async () => {
		const layersSent: string[] = [];
		const widthsReceived: number[] = [];
		for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
			if (pc.connectionState !== 'connected') continue;
			(await pc.getStats()).forEach((s) => {
				if (s.kind !== 'video') return;
				if (s.type === 'outbound-rtp' && s.framesEncoded > 0) layersSent.push(s.rid ?? 'single');
				if (s.type === 'inbound-rtp' && s.frameWidth) widthsReceived.push(s.frameWidth);
			});
		}
		return { layersSent, widthsReceived };
	});
}
