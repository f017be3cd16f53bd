import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { Call } from './call.ts';
import type { Device, MeshContext, MeshRoute, RemoteMedia, SfuContext, SfuRoute } from './call-links.ts';
import type { CallParticipant, ServerCall } from '../core/call/presence.ts';
import { SFU_RETRY_MS, SWITCH_POLL_MS } from './route-switch.ts';

type FakeTrack = { kind: 'audio' | 'video'; enabled: boolean; stopped: boolean; stop(): void; addEventListener(): void };
const track = (kind: 'audio' | 'video'): FakeTrack => ({ kind, enabled: true, stopped: false, stop() { this.stopped = true; }, addEventListener() {} });
function stream(...tracks: FakeTrack[]) {
	const list = [...tracks];
	return {
		id: `stream-${Math.random()}`,
		getAudioTracks: () => list.filter((t) => t.kind === 'audio'),
		getVideoTracks: () => list.filter((t) => t.kind === 'video'),
		getTracks: () => [...list],
		addTrack: (t: FakeTrack) => list.push(t),
		removeTrack: (t: FakeTrack) => list.splice(list.indexOf(t), 1)
	} as unknown as MediaStream;
}

/** What both fakes share: the context the call gave, the tracks it sent, whether it closed them. */
class FakeLinks<Context> {
	closed = false;
	readonly sent: [string, MediaStreamTrack][] = [];
	readonly context: Context;
	constructor(context: Context) {
		this.context = context;
	}
	async readStats() {}
	async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack) {
		this.sent.push([kind, track]);
	}
	close() {
		this.closed = true;
	}
}

/** Mesh links that link at once to whoever is dialled; each carries a stream of its own. */
class FakeMesh extends FakeLinks<MeshContext> implements MeshRoute {
	started = false;
	readonly linked = new Map<string, MediaStream>();
	async start() {
		this.started = true;
	}
	follow(participants: readonly CallParticipant[]) {
		for (const peerId of this.linked.keys()) if (!participants.some((p) => p.peerId === peerId)) this.linked.delete(peerId);
	}
	dial(peerIds: readonly string[]) {
		for (const peerId of peerIds) if (!this.linked.has(peerId)) this.linked.set(peerId, stream(track('audio'), track('video')));
	}
	hangUpAllBut(keep: ReadonlySet<string>) {
		for (const peerId of this.linked.keys()) if (!keep.has(peerId)) this.linked.delete(peerId);
	}
	remote(device: Device): RemoteMedia | undefined {
		const s = this.linked.get(device.peerId);
		return s ? { stream: s, quality: 'good', audioLevel: 0.5 } : undefined;
	}
	async decoding(devices: readonly Device[]) {
		return new Set(devices.filter((d) => this.linked.has(d.peerId)).map((d) => d.peerId));
	}
	close() {
		super.close();
		this.linked.clear();
	}
}

/** SFU links that receive (and decode) everyone else in the call once started. */
class FakeSfu extends FakeLinks<SfuContext> implements SfuRoute {
	room = 0;
	screen: MediaStreamTrack | null = null;
	readonly streams = new Map<string, MediaStream>();
	async start() {
		this.room = (await this.context.getJoin()).janusRoom;
	}
	remote(device: Device): RemoteMedia | undefined {
		if (this.closed || !this.context.participants().some((p) => p.peerId === device.peerId)) return undefined;
		if (!this.streams.has(device.peerId)) this.streams.set(device.peerId, stream(track('video')));
		return { stream: this.streams.get(device.peerId)!, quality: 'fair', audioLevel: 0, talking: true };
	}
	async decoding(devices: readonly Device[]) {
		return new Set(devices.map((d) => d.peerId));
	}
	async publishScreen(track: MediaStreamTrack) {
		this.screen = track;
	}
	unpublishScreen() {
		this.screen = null;
	}
	setTileHeight() {}
}

const sfuCall = (room: number): ServerCall => ({ topology: 'sfu', janusRoom: room, sfu: true, limit: null });
const meshCall: ServerCall = { topology: 'mesh', janusRoom: null, sfu: true, limit: null };

let awareness: Awareness;
let remotes: Map<string, Awareness>;
let mesh: FakeMesh;
let sfus: FakeSfu[];
let room: number;
let joinError: Error | null;
let local: MediaStream;

/** Someone else's (or the server's) awareness state, as it arrives through the sync service. */
function arrive(who: string, state: object) {
	let theirs = remotes.get(who);
	if (!theirs) remotes.set(who, (theirs = new Awareness(new Y.Doc())));
	theirs.setLocalState(state);
	applyAwarenessUpdate(awareness, encodeAwarenessUpdate(theirs, [theirs.clientID]), 'sync');
}
const person = (n: number, route: 'mesh' | 'sfu' = 'mesh') => arrive(`u${n}`, { user: { id: `u${n}` }, call: { peerId: `p${n}`, joinedAt: n, route } });
const server = (call: ServerCall) => arrive('server', { server: { call } });
const mine = () => awareness.getLocalState()?.call;

function makeCall() {
	return new Call({
		awareness,
		peerId: 'p9',
		userId: 'u9',
		stream: local,
		iceServers: [],
		audio: true,
		video: true,
		getSfuJoin: async () => {
			if (joinError) throw joinError;
			return { janusRoom: room, ticket: 't', iceServers: [] };
		},
		mesh: (context) => (mesh = new FakeMesh(context)),
		sfu: (context) => {
			const links = new FakeSfu(context);
			sfus.push(links);
			return links;
		}
	});
}

/** A call of four (p1–p3, then this device) that the server has just moved to videoroom 7. */
async function joinedThenMovedToSfu() {
	for (const n of [1, 2, 3]) person(n);
	server(meshCall);
	const call = makeCall();
	await call.join();
	room = 7;
	server(sfuCall(7));
	await vi.advanceTimersByTimeAsync(0);
	return call;
}

beforeEach(() => {
	vi.useFakeTimers();
	vi.stubGlobal('addEventListener', () => {});
	vi.stubGlobal('removeEventListener', () => {});
	awareness = new Awareness(new Y.Doc());
	awareness.setLocalState({ user: { id: 'u9' } });
	remotes = new Map();
	sfus = [];
	room = 7;
	joinError = null;
	local = stream(track('audio'), track('video'));
});

afterEach(() => {
	for (const a of [awareness, ...remotes.values()]) a.destroy();
	vi.unstubAllGlobals();
	vi.useRealTimers();
});

describe('Call', () => {
	it('joining publishes its presence on awareness and dials the people already in the call', async () => {
		person(1);
		const call = makeCall();
		await call.join();
		expect(mesh.started).toBe(true);
		expect(mine()).toMatchObject({ peerId: 'p9', audio: true, video: true, screen: false, route: 'mesh' });
		expect(call.participants.map((p) => p.peerId)).toEqual(['p1', 'p9']);
		expect([...mesh.linked.keys()]).toEqual(['p1']);
		expect(call.route).toBe('mesh');
		expect(call.remotes.get('p1')).toMatchObject({ userId: 'u1', stream: mesh.linked.get('p1'), audioLevel: 0.5 });
		expect(call.remotes.get('p1')?.viaSfu).toBeUndefined();
	});

	it('mute and camera flags reach presence, and the tracks', async () => {
		const call = makeCall();
		await call.join();
		call.setAudio(false);
		call.setVideo(false);
		expect(mine()).toMatchObject({ audio: false, video: false });
		expect(local.getTracks().map((t) => t.enabled)).toEqual([false, false]);
		call.setAudio(true);
		expect(mine()).toMatchObject({ audio: true, video: false });
		expect(call.presence.audio).toBe(true);
	});

	it('moves to the SFU when the server says so: mesh shown until everyone decodes there, then the SFU, and mesh links close', async () => {
		const call = await joinedThenMovedToSfu();
		expect(sfus).toHaveLength(1);
		expect(call.route).toBe('switching');
		// Make before break: the mesh streams are still shown.
		expect(call.remotes.get('p1')?.stream).toBe(mesh.linked.get('p1'));
		await vi.advanceTimersByTimeAsync(SWITCH_POLL_MS);
		expect(call.route).toBe('sfu');
		expect(mine()?.route).toBe('sfu');
		expect(call.remotes.get('p1')).toMatchObject({ viaSfu: true, talking: true, quality: 'fair', stream: sfus[0].streams.get('p1') });
		// The mesh links go as the others say they receive from the SFU too.
		expect([...mesh.linked.keys()]).toEqual(['p1', 'p2', 'p3']);
		person(1, 'sfu');
		person(2, 'sfu');
		expect([...mesh.linked.keys()]).toEqual(['p3']);
	});

	it('comes back to peer-to-peer when the server says so, and leaves the SFU once everyone is back', async () => {
		const call = await joinedThenMovedToSfu();
		await vi.advanceTimersByTimeAsync(SWITCH_POLL_MS);
		for (const n of [1, 2, 3]) person(n, 'sfu');
		expect(mesh.linked.size).toBe(0);
		server(meshCall);
		expect(call.route).toBe('switching');
		expect([...mesh.linked.keys()]).toEqual(['p1', 'p2', 'p3']);
		await vi.advanceTimersByTimeAsync(SWITCH_POLL_MS);
		expect(mine()?.route).toBe('mesh');
		expect(call.route).toBe('mesh');
		expect(sfus[0].closed).toBe(false);
		for (const n of [1, 2, 3]) person(n, 'mesh');
		expect(sfus[0].closed).toBe(true);
		expect(call.remotes.get('p2')?.stream).toBe(mesh.linked.get('p2'));
	});

	it('after losing the SFU, joins the videoroom the server announces next', async () => {
		const call = await joinedThenMovedToSfu();
		await vi.advanceTimersByTimeAsync(SWITCH_POLL_MS);
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		sfus[0].context.onLost('Janus went away');
		expect(warn).toHaveBeenCalledWith('Lost the SFU:', 'Janus went away');
		expect(sfus[0].closed).toBe(true);
		expect(call.route).toBe('mesh');
		room = 8;
		server(sfuCall(8));
		await vi.advanceTimersByTimeAsync(0);
		expect(sfus.map((s) => s.room)).toEqual([7, 8]);
		expect(call.route).toBe('sfu');
		expect(call.remotes.get('p3')?.stream).toBe(sfus[1].streams.get('p3'));
	});

	it('retries the SFU after it failed to start, every SFU_RETRY_MS', async () => {
		joinError = new Error('no ticket');
		const call = await joinedThenMovedToSfu();
		expect(call.error).toBe('Could not move the call to the server: no ticket');
		expect(call.route).toBe('mesh');
		expect(sfus.map((s) => s.closed)).toEqual([true]);
		await vi.advanceTimersByTimeAsync(SFU_RETRY_MS - 1);
		expect(sfus).toHaveLength(1);
		joinError = null;
		await vi.advanceTimersByTimeAsync(1);
		expect(sfus).toHaveLength(2);
		expect(call.error).toBe('');
		expect(call.route).toBe('switching');
	});

	it('a shared screen takes the camera’s place on mesh links and is a feed of its own on the SFU; a new camera goes where the camera is sent', async () => {
		const screen = track('video');
		const camera = local.getVideoTracks()[0];
		const newCamera = track('video');
		vi.stubGlobal('navigator', {
			userAgent: 'test',
			mediaDevices: { getDisplayMedia: async () => stream(screen), getUserMedia: async () => stream(newCamera) }
		});
		const call = await joinedThenMovedToSfu();
		await call.shareScreen();
		expect(mine()?.screen).toBe(true);
		expect(mesh.sent).toEqual([['video', screen]]);
		expect(sfus[0].sent).toEqual([]);
		expect(sfus[0].screen).toBe(screen);
		expect(call.localStream.getVideoTracks()).toEqual([screen]);
		// While sharing, a new camera goes to the SFU camera feed only.
		await call.useCamera('cam2');
		expect(sfus[0].sent).toEqual([['video', newCamera]]);
		expect((camera as unknown as FakeTrack).stopped).toBe(true);
		await call.stopSharing();
		expect(mine()?.screen).toBe(false);
		expect(sfus[0].screen).toBeNull();
		expect((screen as unknown as FakeTrack).stopped).toBe(true);
		expect(mesh.sent.at(-1)).toEqual(['video', newCamera]);
		expect(call.localStream.getVideoTracks()).toEqual([newCamera]);
	});

	it('leaving takes its presence off awareness, closes both paths and stops every track', async () => {
		const call = await joinedThenMovedToSfu();
		const changes = vi.fn();
		call.onChange(changes);
		call.leave();
		expect(mine()).toBeNull();
		expect(mesh.closed).toBe(true);
		expect(sfus[0].closed).toBe(true);
		expect(local.getTracks().every((t) => (t as unknown as FakeTrack).stopped)).toBe(true);
		expect(changes).toHaveBeenCalled();
		// Nothing runs on afterwards: no switch check, no new SFU links.
		server(sfuCall(9));
		await vi.advanceTimersByTimeAsync(10_000);
		expect(sfus).toHaveLength(1);
		expect(call.route).toBe('mesh');
	});

	describe('hands and reactions', () => {
		it('raises and lowers the hand on awareness, with the time it went up', async () => {
			const call = makeCall();
			await call.join();
			call.raiseHand();
			const raised = mine().hand;
			expect(raised).toBe(Date.now());
			// Raising again keeps its place in the queue.
			vi.advanceTimersByTime(1000);
			call.raiseHand();
			expect(mine().hand).toBe(raised);
			call.lowerHand();
			expect(mine().hand).toBeNull();
		});

		it('lowers my hand when a moderator asks for that hand, and not for an older one', async () => {
			person(1);
			const call = makeCall();
			await call.join();
			call.raiseHand();
			const raised = mine().hand as number;
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, lower: [{ userId: 'u9', hand: raised - 1 }] } });
			expect(mine().hand).toBe(raised);
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, lower: [{ userId: 'u9', hand: raised }] } });
			expect(mine().hand).toBeNull();
		});

		it('asks someone to lower a hand until it is down', async () => {
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, hand: 50 } });
			const call = makeCall();
			await call.join();
			call.lowerHandOf('u1', 50);
			expect(mine().lower).toEqual([{ userId: 'u1', hand: 50 }]);
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, hand: null } });
			expect(mine().lower).toEqual([]);
		});

		it('counts reactions, so the same emoji twice is two', async () => {
			const call = makeCall();
			await call.join();
			call.react('🎉');
			call.react('🎉');
			expect(mine().reaction).toEqual({ emoji: '🎉', n: 2, at: Date.now() });
		});
	});

	describe('moderation', () => {
		const audioOf = (peerId: string) => (mesh.linked.get(peerId)!.getAudioTracks()[0] as unknown as FakeTrack).enabled;

		it('a moderator’s mute turns my microphone off once and says who; unmuting myself lifts it', async () => {
			person(1);
			const call = makeCall();
			await call.join();
			expect(mine()).toMatchObject({ audio: true, unmutes: 0 });
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, mute: [{ peerId: 'p9', unmutes: 0 }] } });
			expect(mine().audio).toBe(false);
			expect(call.mutedBy).toBe('u1');
			expect((local.getAudioTracks()[0] as unknown as FakeTrack).enabled).toBe(false);
			call.setAudio(true);
			expect(mine()).toMatchObject({ audio: true, unmutes: 1 });
			// The same request (for the count before) no longer mutes.
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, mute: [{ peerId: 'p9', unmutes: 0 }], video: true } });
			expect(mine().audio).toBe(true);
		});

		it('stops playing someone a moderator muted, even if their browser goes on sending, until they unmute themselves', async () => {
			person(1);
			arrive('u2', { user: { id: 'u2' }, call: { peerId: 'p2', joinedAt: 2, mute: [{ peerId: 'p1', unmutes: 3 }] } });
			const call = makeCall();
			await call.join();
			// p1 is at another count: not muted.
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, unmutes: 2, audio: true } });
			void call.remotes;
			expect(audioOf('p1')).toBe(true);
			// At the count the moderator named, and still claiming its microphone is on: silent here.
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, unmutes: 3, audio: true } });
			void call.remotes;
			expect(call.silenced('p1')).toBe(true);
			expect(audioOf('p1')).toBe(false);
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, unmutes: 4, audio: true } });
			void call.remotes;
			expect(audioOf('p1')).toBe(true);
		});

		it('mutes, asks to unmute, removes and locks from my state; each request goes once done with', async () => {
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, unmutes: 2, audio: false } });
			const call = makeCall();
			await call.join();
			call.mute('p1');
			expect(mine().mute).toEqual([{ peerId: 'p1', unmutes: 2 }]);
			call.askToUnmute('p1');
			expect(mine().askUnmute).toEqual([{ peerId: 'p1', at: Date.now() }]);
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, unmutes: 3, audio: true } });
			expect(mine()).toMatchObject({ mute: [], askUnmute: [] });
			call.setLock(true);
			expect(mine().lock).toEqual({ on: true, n: 1 });
			call.removeFromCall('u1');
			expect(mine().remove).toEqual(['u1']);
			arrive('server', { server: { moderation: { lock: { by: 'u9' }, removed: [{ userId: 'u1', by: 'u9', until: Date.now() + 1000 }] } } });
			expect(mine().remove).toEqual([]);
			expect(call.moderation.lock).toEqual({ by: 'u9' });
		});

		it('leaves the call when the server says I was removed, and offers an ask to unmute once', async () => {
			const call = makeCall();
			await call.join();
			call.setAudio(false);
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, askUnmute: [{ peerId: 'p9', at: 5 }] } });
			expect(call.askedToUnmuteBy).toBe('u1');
			call.dismissUnmuteAsk();
			arrive('u1', { user: { id: 'u1' }, call: { peerId: 'p1', joinedAt: 1, askUnmute: [{ peerId: 'p9', at: 5 }], video: false } });
			expect(call.askedToUnmuteBy).toBeNull();
			arrive('server', { server: { moderation: { lock: null, removed: [{ userId: 'u9', by: 'u1', until: Date.now() + 1000 }] } } });
			expect(call.removedBy).toBe('u1');
			expect(mine()).toBeNull();
		});
	});
});
