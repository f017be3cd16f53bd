// Pages of people in one call room, for the call benchmarks (call-join, sfu).
import type { Browser, Page } from '@playwright/test';

async function person(browser: Browser, baseURL: string, name: string) {
	const context = await browser.newContext({ baseURL });
	// Data saver (320×240 at 15 fps) unless VIDEO=640 asks for the full 640×480 (with simulcast on the SFU).
	if (process.env.VIDEO !== '640') await context.addInitScript(() => localStorage.setItem('parley:data-saver', '1'));
	// Keeps every peer connection reachable, so a benchmark can read their stats, and marks when each
	// phase of a join happens (camera, peer id, signalling socket open, peer connections up).
	await context.addInitScript(() => {
		const pcs: RTCPeerConnection[] = [];
		const marks: [string, number][] = [];
		const w = window as unknown as { __pcs: RTCPeerConnection[]; __marks: [string, number][] };
		w.__pcs = pcs;
		w.__marks = marks;
		const mark = (name: string) => marks.push([name, performance.now()]);
		const Original = window.RTCPeerConnection;
		window.RTCPeerConnection = class extends Original {
			constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
				super(...args);
				pcs.push(this);
				mark('pc_created');
				this.addEventListener('connectionstatechange', () => this.connectionState === 'connected' && mark('ice_connected'));
			}
		};
		const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
		navigator.mediaDevices.getUserMedia = async (constraints) => {
			mark('gum_start');
			const stream = await gum(constraints);
			mark('gum_end');
			return stream;
		};
		const originalFetch = window.fetch;
		window.fetch = async (...args: Parameters<typeof fetch>) => {
			const response = await originalFetch(...args);
			if (String(args[0] instanceof Request ? args[0].url : args[0]).endsWith('/call/peer')) mark('peer_id');
			return response;
		};
		const OriginalSocket = window.WebSocket;
		window.WebSocket = class extends OriginalSocket {
			constructor(...args: ConstructorParameters<typeof WebSocket>) {
				super(...args);
				if (!String(args[0]).includes('/peerjs')) return;
				this.addEventListener('message', (event) => {
					const data = String(event.data);
					if (data.includes('"OPEN"')) mark('signalling_open');
					else if (data.includes('"ANSWER"')) mark('answer');
				});
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

export type JoinPhases = { gum_ms: number; peer_id_ms: number; signalling_open_ms: number; first_pc_ms: number; all_answers_ms: number; all_ice_ms: number; first_frame_ms: number; all_frames_ms: number };

/**
 * Opens the pre-join screen and clicks Join; resolves with when each phase was done: the camera
 * (getUserMedia, its own duration, before the click) and, in ms after the click, the peer id, the
 * signalling socket's OPEN, the first peer connection, all `expected` answers, all `expected` connected (ICE), the first
 * remote frame and all `expected` remote videos framed.
 */
export async function timedJoin(page: Page, expected: number): Promise<JoinPhases> {
	await page.evaluate(() => ((window as unknown as { __marks: unknown[] }).__marks.length = 0));
	await openPrejoin(page);
	return page.evaluate(async (expected) => {
		const marks = (window as unknown as { __marks: [string, number][] }).__marks;
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
		const at = (name: string) => marks.filter(([n]) => n === name).map(([, t]) => t - clicked);
		const gum = (at('gum_end')[0] ?? NaN) - (at('gum_start')[0] ?? NaN);
		const ice = at('ice_connected').filter((t) => t > 0);
		return {
			gum_ms: gum,
			peer_id_ms: at('peer_id').find((t) => t > 0) ?? NaN,
			signalling_open_ms: at('signalling_open').find((t) => t > 0) ?? NaN,
			first_pc_ms: at('pc_created').find((t) => t > 0) ?? NaN,
			// The others' answers over the signalling: a late one is a call held until the joiner's presence reached them.
			all_answers_ms: at('answer').filter((t) => t > 0)[expected - 1] ?? NaN,
			all_ice_ms: ice.length >= expected ? ice[expected - 1] : NaN,
			first_frame_ms: Math.min(...times) - clicked,
			all_frames_ms: Math.max(...times) - clicked
		};
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
