// The app's own RoomChat (src/lib/chat/room-chat.svelte.ts) in Node, to time the work it does on
// a room document apart from the browser: the module is compiled with Svelte's compiler for the
// server (runes become plain fields, so no reactivity runs), written to a temporary folder with its
// imports pointed back at the real modules, and driven through a stand-in RoomConnection.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';

const SOURCE = new URL('../../src/lib/chat/room-chat.svelte.ts', import.meta.url);

export type RoomChatLike = { messages: readonly { key: string; text: string }[]; loaded: boolean; destroy(): void };
/** The part of RoomConnection that RoomChat uses, and a way to say the document is loaded. */
export type FakeConnection = {
	doc: Y.Doc;
	loaded: Promise<void>;
	resolveLoaded: () => void;
	status: 'offline';
	closedReason: string;
	lastRefusal: string;
	provider: { awareness: { on(): void; off(): void; getStates(): Map<number, unknown> } };
	serverHas(client: number, clock: number): boolean;
	onChange(listener: () => void): () => void;
};
type RoomChatClass = new (connection: unknown, userId: string) => RoomChatLike;

let compiled: Promise<RoomChatClass> | undefined;

export function loadRoomChat(): Promise<RoomChatClass> {
	compiled ??= (async () => {
		const { compileModule } = await import('svelte/compiler');
		// stripTypeScriptTypes warns once that it is experimental; that goes to stderr.
		const js = compileModule(stripTypeScriptTypes(readFileSync(SOURCE, 'utf8')), { generate: 'server', filename: 'room-chat.svelte.js' }).js.code;
		const resolved = js.replace(/from '([^']+)'/g, (_all, specifier: string) => {
			const target = specifier.startsWith('.') ? new URL(specifier, SOURCE).href : import.meta.resolve(specifier);
			return `from '${target}'`;
		});
		const dir = mkdtempSync(join(tmpdir(), 'parley-history-'));
		const file = join(dir, 'room-chat.mjs');
		writeFileSync(file, resolved);
		try {
			return ((await import(pathToFileURL(file).href)) as { RoomChat: RoomChatClass }).RoomChat;
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	})();
	return compiled;
}

/** What RoomChat uses of a RoomConnection; the server has stored everything, nobody else is online. */
export function fakeConnection(doc = new Y.Doc()): FakeConnection {
	let resolveLoaded!: () => void;
	const loaded = new Promise<void>((resolve) => (resolveLoaded = resolve));
	return {
		doc,
		loaded,
		resolveLoaded,
		status: 'offline',
		closedReason: '',
		lastRefusal: '',
		provider: { awareness: { on() {}, off() {}, getStates: () => new Map() } },
		serverHas: () => true,
		onChange: () => () => {}
	};
}
