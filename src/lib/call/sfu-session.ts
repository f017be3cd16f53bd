/**
 * The connection to the SFU: a janus.js session through the server's `/sfu` proxy, and handles
 * on its videoroom plugin. The browser holds no Janus credential: the proxy adds Janus' tokens.
 */
import type { JanusJS } from 'janus-gateway';
import type { SfuJoin } from '../core/call/presence.ts';

export type Handle = JanusJS.PluginHandle;
/** A publisher as Janus lists it; `talking` says whether they talk right now (events only say when it changes). */
export type PublisherInfo = { id: number; display?: string; talking?: boolean };
export type VideoroomMessage = JanusJS.Message & {
	videoroom?: string;
	id?: number;
	publishers?: PublisherInfo[];
	unpublished?: number | 'ok';
	leaving?: number | 'ok';
	streams?: { mid: string; feed_id?: number; type?: string; active?: boolean }[];
	error_code?: number;
	error?: string;
};

let loading: Promise<typeof import('janus-gateway').default> | null = null;

/** janus.js and its WebRTC adapter, loaded on first use so that rooms without big calls never download them. */
function loadJanus() {
	loading ??= Promise.all([import('janus-gateway'), import('webrtc-adapter')]).then(
		([{ default: Janus }, { default: adapter }]) =>
			new Promise((resolve) => Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: () => resolve(Janus) }))
	);
	return loading;
}

/** Loads janus.js ahead of need (when joining a call on a server with an SFU), so that a switch does not wait for it. */
export function preloadSfu(): void {
	void loadJanus();
}

export class SfuSession {
	readonly #janus: JanusJS.Janus;

	private constructor(janus: JanusJS.Janus) {
		this.#janus = janus;
	}

	/** Loads janus.js (once). */
	static async load(): Promise<void> {
		await loadJanus();
	}

	/** Connects with `join`'s ticket; `onError` hears of the session failing once it is up. */
	static async connect(join: SfuJoin, relayOnly: boolean, onError: (reason: string) => void): Promise<SfuSession> {
		const Janus = await loadJanus();
		const secure = location.protocol === 'https:';
		return new Promise<SfuSession>((resolve, reject) => {
			let up = false;
			const janus: JanusJS.Janus = new Janus({
				server: `${secure ? 'wss' : 'ws'}://${location.host}/sfu?ticket=${encodeURIComponent(join.ticket)}`,
				iceServers: join.iceServers,
				iceTransportPolicy: relayOnly ? 'relay' : 'all',
				destroyOnUnload: true,
				success: () => {
					up = true;
					resolve(new SfuSession(janus));
				},
				error: (error: unknown) => (up ? onError(String(error)) : reject(new Error(`Could not reach the SFU: ${String(error)}`)))
			});
		});
	}

	/** A handle on the videoroom plugin. */
	attach(callbacks: Partial<JanusJS.PluginCallbacks>): Promise<Handle> {
		return new Promise((resolve, reject) =>
			this.#janus.attach({ plugin: 'janus.plugin.videoroom', ...callbacks, success: resolve, error: (error) => reject(new Error(String(error))) })
		);
	}

	/** Leaves explicitly, which lets the others drop our feeds at once; then the session goes. */
	destroy() {
		this.#janus.destroy({ cleanupHandles: true, notifyDestroyed: false });
	}
}

/** A request Janus answers synchronously (success or error). */
export function request(handle: Handle, message: Record<string, unknown>): Promise<unknown> {
	return new Promise((resolve, reject) => handle.send({ message: message as JanusJS.PluginMessage['message'], success: resolve, error: (e) => reject(new Error(e)) }));
}
