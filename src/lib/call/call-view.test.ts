import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ring, stopRinging } from './call-api.ts';
import { CallView, type CallContext } from './call-view.svelte.ts';

/** The engine, faked: what the view model asks of `Call` and the changes it announces. */
const { calls, FakeCall } = vi.hoisted(() => {
	const calls: FakeCall[] = [];
	class FakeCall {
		listeners = new Set<() => void>();
		presence = { peerId: '', joinedAt: 0, audio: true, video: true, screen: false, device: 'desktop', route: 'mesh' as const, hand: null as number | null, reaction: null, lower: [] };
		lowered: [string, number][] = [];
		route: 'mesh' | 'sfu' | 'switching' = 'mesh';
		remotes = new Map();
		error = '';
		left = false;
		participants: { peerId: string }[] = [];
		mutedBy: string | null = null;
		removedBy: string | null = null;
		askedToUnmuteBy: string | null = null;
		silenced() {
			return false;
		}
		readonly options: { peerId: string; stream: unknown; audio: boolean; relayOnly?: boolean };
		constructor(options: FakeCall['options']) {
			this.options = options;
			this.presence = { ...this.presence, peerId: options.peerId, audio: options.audio };
			calls.push(this);
		}
		get localStream() {
			return this.options.stream;
		}
		onChange(listener: () => void) {
			this.listeners.add(listener);
			return () => this.listeners.delete(listener);
		}
		emit() {
			for (const listener of this.listeners) listener();
		}
		async join() {}
		setAudio(on: boolean) {
			this.presence = { ...this.presence, audio: on };
			this.emit();
		}
		leave() {
			this.left = true;
			this.emit();
		}
		lowerHandOf(userId: string, hand: number) {
			this.lowered.push([userId, hand]);
		}
	}
	return { calls, FakeCall };
});
type FakeCall = InstanceType<typeof FakeCall>;

vi.mock('./call.ts', () => ({ Call: FakeCall, preloadMesh: () => {} }));
vi.mock('./call-api.ts', () => ({
	issuePeer: vi.fn(async () => ({ ok: true, data: { peerId: 'me', iceServers: [] } })),
	sfuJoin: vi.fn(),
	ring: vi.fn(async () => ({ ok: true })),
	stopRinging: vi.fn(async () => ({ ok: true }))
}));

const track = () => ({ stop: vi.fn(), getSettings: () => ({ deviceId: 'cam-1' }) });
const stream = () => {
	const video = track();
	return { video, getTracks: () => [video], getAudioTracks: () => [], getVideoTracks: () => [video] };
};

/** A room's awareness with the people in its call (client id → user id and peer id). */
function awareness(people: [number, string, string][]) {
	const states = new Map<number, unknown>(people.map(([client, userId, peerId]) => [client, { user: { id: userId }, call: { peerId, joinedAt: client } }]));
	const listeners = new Set<() => void>();
	return {
		states,
		getStates: () => states,
		on: (_: string, listener: () => void) => listeners.add(listener),
		off: (_: string, listener: () => void) => listeners.delete(listener),
		change: () => listeners.forEach((listener) => listener())
	};
}

function viewOf(room: ReturnType<typeof awareness>, myRole: 'owner' | 'admin' | 'member' = 'member') {
	const context: CallContext = { roomId: 'r1', user: { id: 'u-me', name: 'Me' }, members: [{ userId: 'u-ann', name: 'Ann', role: 'member' }, { userId: 'u-me', name: 'Me', role: myRole }], awareness: room as never };
	const view = new CallView(() => context);
	return { view, disconnect: view.connect() };
}

beforeEach(() => {
	calls.length = 0;
	vi.clearAllMocks();
	const items = new Map<string, string>([['parley:relay-only', '1']]);
	vi.stubGlobal('localStorage', { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => items.set(key, value) });
	vi.stubGlobal('navigator', { mediaDevices: { getUserMedia: vi.fn(async () => stream()), enumerateDevices: async () => [] } });
	vi.stubGlobal('addEventListener', () => {});
	vi.stubGlobal('removeEventListener', () => {});
});
afterEach(() => vi.unstubAllGlobals());

describe('CallView', () => {
	it('starts a call from the pre-join screen, hands the preview to the Call and rings', async () => {
		const { view } = viewOf(awareness([]));
		await view.openPrejoin();
		expect(view.state.phase).toBe('prejoin');
		const preview = view.preview;
		expect(preview).not.toBeNull();
		view.joinMuted = true;
		await view.join();
		expect(view.state.phase).toBe('in-call');
		expect(calls[0].options).toMatchObject({ peerId: 'me', stream: preview, audio: false, relayOnly: true });
		expect(view.preview).toBeNull();
		expect(ring).toHaveBeenCalledWith('r1');
		expect(view.tiles.map((t) => [t.name, t.audio])).toEqual([['Me (you)', false]]);
	});

	it('shows the engine as it changes: a snapshot per onChange, no re-render counter', async () => {
		const room = awareness([[1, 'u-ann', 'ann']]);
		const { view } = viewOf(room);
		await view.openPrejoin();
		await view.join();
		expect(ring).not.toHaveBeenCalled();
		const first = view.snapshot;
		view.toggleAudio();
		expect(view.snapshot).not.toBe(first);
		expect(view.snapshot?.presence.audio).toBe(false);
		expect(view.tiles.map((t) => t.name)).toEqual(['Me (you)', 'Ann']);
		calls[0].route = 'switching';
		calls[0].emit();
		expect(view.route).toBe('Moving the call to peer-to-peer…');
	});

	it('gives a screen received apart from the camera (the SFU) a presentation tile of its own, featured; peer-to-peer it stays in the camera tile', async () => {
		const room = awareness([[1, 'u-ann', 'ann']]);
		(room.states.get(1) as { call: Record<string, unknown> }).call = { peerId: 'ann', joinedAt: 1, audio: true, video: true, screen: true };
		const { view } = viewOf(room);
		await view.openPrejoin();
		await view.join();
		const camera = stream();
		calls[0].remotes.set('ann', { peerId: 'ann', userId: 'u-ann', stream: camera, quality: 'good', audioLevel: 0 });
		calls[0].emit();
		expect(view.tiles.map((t) => [t.name, t.screen, t.presentation])).toEqual([['Me (you)', false, false], ['Ann', true, false]]);

		const screen = stream();
		calls[0].remotes.set('ann', { peerId: 'ann', userId: 'u-ann', stream: camera, screen, quality: 'good', audioLevel: 0, viaSfu: true });
		calls[0].emit();
		expect(view.tiles.map((t) => [t.key, t.name, t.screen, t.presentation])).toEqual([
			['local', 'Me (you)', false, false],
			['ann', 'Ann', false, false],
			['ann:screen', 'Ann (presentation)', true, true]
		]);
		expect(view.tiles[1].stream).toBe(camera);
		expect(view.tiles[2].stream).toBe(screen);
		// The presentation is not a person: People and its count have two.
		expect(view.people.map((t) => t.name)).toEqual(['Me (you)', 'Ann']);
	});

	it('leaving stops ringing only when nobody else is in the call', async () => {
		const room = awareness([[1, 'u-ann', 'ann']]);
		const { view } = viewOf(room);
		await view.openPrejoin();
		await view.join();
		view.leave();
		expect(calls[0].left).toBe(true);
		expect(view.snapshot).toBeNull();
		expect(view.state.phase).toBe('idle');
		expect(stopRinging).not.toHaveBeenCalled();

		room.states.clear();
		room.change();
		await view.openPrejoin();
		await view.join();
		view.leave();
		expect(stopRinging).toHaveBeenCalledWith('r1');
	});

	it('stops a camera that arrives after Cancel', async () => {
		const { view } = viewOf(awareness([]));
		let arrive!: (s: ReturnType<typeof stream>) => void;
		(navigator.mediaDevices.getUserMedia as ReturnType<typeof vi.fn>).mockImplementationOnce(() => new Promise((resolve) => (arrive = resolve)));
		const opening = view.openPrejoin();
		view.cancel();
		const late = stream();
		arrive(late);
		await opening;
		expect(late.video.stop).toHaveBeenCalled();
		expect(view.preview).toBeNull();
		expect(view.state.phase).toBe('idle');
	});

	it('says the call is full instead of joining past the server limit', async () => {
		const room = awareness([[1, 'u-ann', 'ann']]);
		room.states.set(9, { server: { call: { topology: 'mesh', sfu: false, limit: 1 } } });
		const { view } = viewOf(room);
		await view.openPrejoin();
		const preview = view.preview as unknown as ReturnType<typeof stream>;
		await view.join();
		expect(view.state).toEqual({ phase: 'full', limit: 1 });
		expect(calls).toHaveLength(0);
		expect(preview.video.stop).toHaveBeenCalled();
	});

	describe('moderation', () => {
		it('a locked call is refused before joining, saying who locked it, except to owners and admins', async () => {
			const room = awareness([[1, 'u-ann', 'ann']]);
			room.states.set(9, { server: { moderation: { lock: { by: 'u-ann' }, removed: [] } } });
			const { view } = viewOf(room);
			expect(view.lockedBy).toBe('Ann');
			await view.openPrejoin();
			const preview = view.preview as unknown as ReturnType<typeof stream>;
			await view.join();
			expect(view.state).toEqual({ phase: 'failed', reason: 'This call is locked by Ann' });
			expect(calls).toHaveLength(0);
			expect(preview.video.stop).toHaveBeenCalled();
			const owner = viewOf(room, 'owner').view;
			await owner.openPrejoin();
			await owner.join();
			expect(owner.state.phase).toBe('in-call');
		});

		it('when the engine says I was removed, the call is over with who removed me, and I cannot join again while it lasts', async () => {
			const room = awareness([[1, 'u-ann', 'ann']]);
			const { view } = viewOf(room);
			await view.openPrejoin();
			await view.join();
			calls[0].removedBy = 'u-ann';
			calls[0].leave();
			expect(view.state).toEqual({ phase: 'failed', reason: 'Ann removed you from the call' });
			expect(view.snapshot).toBeNull();
			room.states.set(9, { server: { moderation: { lock: null, removed: [{ userId: 'u-me', by: 'u-ann', until: Date.now() + 60_000 }] } } });
			room.change();
			await view.openPrejoin();
			await view.join();
			expect(view.state).toEqual({ phase: 'failed', reason: 'Ann removed you from the call' });
			expect(calls).toHaveLength(1);
		});

		it('a moderator mutes a tile by its device, and sees it muted', async () => {
			const room = awareness([[1, 'u-ann', 'ann']]);
			const { view } = viewOf(room, 'admin');
			await view.openPrejoin();
			await view.join();
			const muted: string[] = [];
			Object.assign(calls[0], { participants: [{ peerId: 'ann' }], mute: (peerId: string) => muted.push(peerId), silenced: (peerId: string) => peerId === 'ann' });
			view.mute(view.tiles[1]);
			expect(muted).toEqual(['ann']);
			calls[0].emit();
			expect(view.tiles.map((t) => [t.name, t.audio])).toEqual([['Me (you)', true], ['Ann', false]]);
		});
	});

	describe('raised hands and reactions', () => {
		afterEach(() => vi.useRealTimers());
		const ann = (room: ReturnType<typeof awareness>, call: Record<string, unknown>) => {
			room.states.set(1, { user: { id: 'u-ann' }, call: { peerId: 'ann', joinedAt: 1, ...call } });
			room.change();
		};

		it('tells of a hand going up, puts it on the tile with its place, and floats a reaction for a few seconds', async () => {
			vi.useFakeTimers();
			const room = awareness([[1, 'u-ann', 'ann']]);
			const { view } = viewOf(room);
			await view.openPrejoin();
			await view.join();
			ann(room, { hand: Date.now() });
			expect(view.moments.map((moment) => [moment.kind, moment.name])).toEqual([['hand', 'Ann']]);
			expect(view.queue.map((p) => [p.userId, p.position])).toEqual([['u-ann', 1]]);
			expect(view.tiles.find((t) => t.name === 'Ann')?.hand?.position).toBe(1);
			ann(room, { hand: Date.now(), reaction: { emoji: '🎉', n: 1, at: Date.now() } });
			expect(view.moments.at(-1)).toMatchObject({ kind: 'reaction', name: 'Ann', emoji: '🎉' });
			vi.advanceTimersByTime(5000);
			expect(view.moments).toEqual([]);
			// A member sees no Lower on someone else's hand.
			expect(view.canModerate).toBe(false);
		});

		it('lets an owner or admin ask for a hand to be lowered, naming the hand', async () => {
			const room = awareness([[1, 'u-ann', 'ann']]);
			const { view } = viewOf(room, 'admin');
			await view.openPrejoin();
			await view.join();
			ann(room, { hand: 1234 });
			expect(view.canModerate).toBe(true);
			view.lowerHandOf(view.tiles.find((t) => t.name === 'Ann')!);
			expect(calls[0].lowered).toEqual([['u-ann', 1234]]);
		});
	});
});
