/**
 * The baseline a call benchmark is divided by: pages that know nothing of Parley, with the same
 * fake devices and 320×240 video, a bare RTCPeerConnection to each other page and signalling
 * through a BroadcastChannel (trickle ICE, no server). What is left of Parley's figure over this is
 * Parley's own cost; the ratio holds on a busy machine where the absolute figure does not.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';

const CHANNEL = 'parley-bench-bare-call';

export type BareCall = { context: BrowserContext; pages: Page[] };

/** `count` pages on `url` (any page of the server: only its origin matters), the first `count - 1` in the call, answering. */
export async function bareCall(browser: Browser, url: string, count: number): Promise<BareCall> {
	const context = await browser.newContext();
	const pages: Page[] = [];
	for (let i = 0; i < count; i++) {
		const page = await context.newPage();
		await page.goto(url);
		pages.push(page);
	}
	for (const [i, page] of pages.slice(0, -1).entries()) await page.evaluate(answer, { id: `p${i}`, channelName: CHANNEL });
	return { context, pages };
}

/**
 * The last page joins: its microphone and camera, then an offer to each page in the call; returns
 * the time from the start until the first and until the last remote video presented a frame.
 */
export async function bareJoin(call: BareCall): Promise<{ first_frame_ms: number; all_frames_ms: number }> {
	const others = call.pages.slice(0, -1).map((_, i) => `p${i}`);
	return call.pages.at(-1)!.evaluate(join, { id: 'joiner', others, channelName: CHANNEL });
}

type Signal = { type: 'offer' | 'answer' | 'candidate'; from: string; to: string; sdp?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit };

/** In a page in the call: answers each offer addressed to it (a new one replaces the last from that page). */
async function answer({ id, channelName }: { id: string; channelName: string }) {
	const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
	const channel = new BroadcastChannel(channelName);
	const links = new Map<string, { pc: RTCPeerConnection; video?: HTMLVideoElement }>();
	let queue = Promise.resolve();
	channel.onmessage = ({ data }: MessageEvent<Signal>) => {
		if (data.to !== id) return;
		queue = queue.then(async () => {
			if (data.type === 'offer') {
				const old = links.get(data.from);
				old?.pc.close();
				old?.video?.remove();
				const pc = new RTCPeerConnection();
				const link: { pc: RTCPeerConnection; video?: HTMLVideoElement } = { pc };
				links.set(data.from, link);
				for (const track of stream.getTracks()) pc.addTrack(track, stream);
				pc.onicecandidate = ({ candidate }) => candidate && channel.postMessage({ type: 'candidate', from: id, to: data.from, candidate: candidate.toJSON() } satisfies Signal);
				pc.ontrack = ({ track }) => {
					if (track.kind !== 'video') return;
					// Shown, as Parley shows it, so that its decoding costs the same.
					const video = document.createElement('video');
					video.muted = true;
					video.autoplay = true;
					video.srcObject = new MediaStream([track]);
					document.body.append(video);
					link.video = video;
				};
				await pc.setRemoteDescription(data.sdp!);
				await pc.setLocalDescription();
				channel.postMessage({ type: 'answer', from: id, to: data.from, sdp: pc.localDescription!.toJSON() } satisfies Signal);
			} else if (data.type === 'candidate') {
				await links.get(data.from)?.pc.addIceCandidate(data.candidate);
			}
		}).catch((error) => console.error('bare call:', error));
	};
}

/** In the joining page: offers to everyone in the call, waits for a frame of each one's video, then leaves. */
async function join({ id, others, channelName }: { id: string; others: string[]; channelName: string }) {
	const start = performance.now();
	const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240, frameRate: 15 } });
	const channel = new BroadcastChannel(channelName);
	const links = new Map<string, RTCPeerConnection>();
	const videos: HTMLVideoElement[] = [];
	const times: number[] = [];
	let queue = Promise.resolve();
	const all = new Promise<void>((resolve) => {
		for (const other of others) {
			const pc = new RTCPeerConnection();
			links.set(other, pc);
			for (const track of stream.getTracks()) pc.addTrack(track, stream);
			pc.onicecandidate = ({ candidate }) => candidate && channel.postMessage({ type: 'candidate', from: id, to: other, candidate: candidate.toJSON() } satisfies Signal);
			pc.ontrack = ({ track }) => {
				if (track.kind !== 'video') return;
				const video = document.createElement('video');
				video.muted = true;
				video.autoplay = true;
				video.srcObject = new MediaStream([track]);
				document.body.append(video);
				videos.push(video);
				video.requestVideoFrameCallback(() => {
					times.push(performance.now());
					if (times.length >= others.length) resolve();
				});
			};
		}
	});
	channel.onmessage = ({ data }: MessageEvent<Signal>) => {
		if (data.to !== id) return;
		queue = queue.then(async () => {
			const pc = links.get(data.from);
			if (data.type === 'answer') await pc?.setRemoteDescription(data.sdp!);
			else if (data.type === 'candidate') await pc?.addIceCandidate(data.candidate);
		});
	};
	for (const [other, pc] of links) {
		await pc.setLocalDescription();
		channel.postMessage({ type: 'offer', from: id, to: other, sdp: pc.localDescription!.toJSON() } satisfies Signal);
	}
	await all;
	for (const pc of links.values()) pc.close();
	for (const video of videos) video.remove();
	for (const track of stream.getTracks()) track.stop();
	channel.close();
	return { first_frame_ms: Math.min(...times) - start, all_frames_ms: Math.max(...times) - start };
}
