/* eslint-disable svelte/prefer-svelte-reactivity -- these maps are private indexes; what the UI reads is published through $state.raw */
import * as Y from 'yjs';
import { newMessageKey, parseMessageKey, parseReactionKey, reactionKey } from '../core/chat/message-key.ts';
import type { ConnectionStatus, RoomConnection } from './room-connection.ts';
import type { RoomDocuments } from './room-documents.ts';
import type { Outgoing } from './uploads.svelte.ts';
import { MESSAGES, REACTIONS, type Attachment, type MessageValue, type ReactionValue } from '../core/chat/schema.ts';
import { SortedKeys } from '../core/chat/sorted-keys.ts';
import { entryProblem } from '../core/chat/validate-update.ts';

export type Reaction = { emoji: string; count: number; mine: boolean; userIds: string[] };

export type ChatMessage = {
	key: string;
	authorId: string;
	text: string;
	createdAt: number;
	editedAt?: number;
	replyTo?: string;
	files?: Attachment[];
	/** The people the text mentions (see mentions.ts). */
	mentions?: string[];
	/** A message with files still on this device: how their upload goes (see RoomUploads). */
	outgoing?: Outgoing;
	/** Written here but not yet stored by the server. */
	pending: boolean;
	reactions: Reaction[];
};

/** People are "typing" for this long after their last keystroke. */
const TYPING_MS = 6000;

type AwarenessState = { user?: { id: string; name: string }; typing?: number };

/** Messages that fill a first screen: fewer in the current month, and the months before are opened too. */
const FIRST_SCREEN = 60;

/** Statuses from worst to best: the chat shows the worst of its live documents. */
const STATUS_ORDER: ConnectionStatus[] = ['closed', 'offline', 'connecting', 'syncing', 'synced'];

/**
 * A room's chat as Svelte state: the ordered messages of its open documents (RoomDocuments: one,
 * or one per month) with their reactions and sending state, who is online and typing, and the
 * operations a person can do, each on the document its message lives in.
 */
export class RoomChat {
	messages = $state.raw<ChatMessage[]>([]);
	status = $state<ConnectionStatus>('connecting');
	closedReason = $state('');
	refusal = $state('');
	/** Ids of other people with the room open. */
	online = $state.raw<string[]>([]);
	/** Ids of other people typing now. */
	typing = $state.raw<string[]>([]);
	loaded = $state(false);
	/** Older months have a document this page has not opened yet. */
	hasOlder = $state(false);

	readonly #documents: RoomDocuments;
	readonly #main: RoomConnection;
	readonly #userId: string;
	#order = new SortedKeys();
	readonly #cache = new Map<string, ChatMessage>();
	readonly #reactions = new Map<string, Map<string, Set<string>>>();
	readonly #cleanup: (() => void)[] = [];
	/** Documents read from IndexedDB and folded in; until then a document's changes wait for that one sort. */
	readonly #folded = new Set<RoomConnection>();
	readonly #refusals = new Map<RoomConnection, string>();
	#lastTyping = 0;
	#first: RoomConnection[] = [];
	/** The room's members, as the page knows them: only they can be mentioned (the server checks too). */
	#members = new Set<string>();

	constructor(documents: RoomDocuments, userId: string) {
		this.#documents = documents;
		this.#main = documents.main;
		this.#userId = userId;

		for (const connection of new Set([this.#main, ...documents.opened])) this.#attach(connection);
		this.#cleanup.push(documents.onOpen((connection) => this.#attach(connection)));
		this.hasOlder = documents.older !== undefined;

		const awareness = this.#main.provider.awareness;
		const onAwareness = () => this.#readAwareness();
		awareness.on('change', onAwareness);
		const tick = setInterval(onAwareness, 2000);
		this.#cleanup.push(() => awareness.off('change', onAwareness), () => clearInterval(tick));

		// Those open from the start: the main document, this month, and the months with unread messages (room-documents.ts).
		this.#first = [...new Set([this.#main, ...documents.opened])];
		void Promise.all(this.#first.map((connection) => connection.loaded)).then(() => {
			this.loaded = true;
			this.#publish();
			// Early in a month its document is short: the months before fill the first screen (counted
			// once this month is synced: on a new device it is empty until then).
			void documents.live.whenSettled().then(() => {
				const shown = this.#order.keys.length;
				if (shown < FIRST_SCREEN && this.hasOlder) void this.loadOlder(FIRST_SCREEN - shown);
			});
		});
	}

	/** Follows one document: its messages and reactions, its connection's state. */
	#attach(connection: RoomConnection) {
		const map = connection.doc.getMap<MessageValue>(MESSAGES);
		const reactions = connection.doc.getMap<ReactionValue>(REACTIONS);
		const onMessages = (event: Y.YMapEvent<MessageValue>) => {
			if (!this.#folded.has(connection)) return;
			const changes = event.changes.keys;
			// A big batch (a new device's first sync): one sort beats inserting keys one by one.
			if (changes.size > 500) {
				for (const key of changes.keys()) this.#cache.delete(key);
				this.#resort();
			} else {
				for (const [key, change] of changes) {
					this.#cache.delete(key);
					if (change.action === 'delete') this.#order.remove(key);
					else if (change.action === 'add') this.#order.add(key);
				}
			}
			this.#publish();
		};
		const onReactions = (event: Y.YMapEvent<ReactionValue>) => {
			if (!this.#folded.has(connection)) return;
			for (const [key, change] of event.changes.keys) this.#react(key, change.action !== 'delete');
			this.#publish();
		};
		map.observe(onMessages);
		reactions.observe(onReactions);
		this.#cleanup.push(() => map.unobserve(onMessages), () => reactions.unobserve(onReactions));

		const onConnection = () => {
			this.#readConnections(connection);
			// Acknowledgements arrived: some of our messages may no longer be pending.
			for (const [key, message] of this.#cache) if (message.pending) this.#cache.delete(key);
			this.#publish();
		};
		this.#cleanup.push(connection.onChange(onConnection));
		// The connection may have changed before this chat was made (history read from IndexedDB, the network found gone).
		this.#readConnections(connection);

		void connection.loaded.then(() => {
			if (this.#folded.has(connection)) return;
			this.#folded.add(connection);
			for (const key of reactions.keys()) this.#react(key, true);
			this.#resort();
			this.hasOlder = this.#documents.older !== undefined;
			if (this.loaded) this.#publish();
		});
	}

	/** The order of every message of the folded documents, sorted once. */
	#resort() {
		const keys: string[] = [];
		for (const connection of this.#folded) for (const key of connection.doc.getMap(MESSAGES).keys()) keys.push(key);
		this.#order = new SortedKeys(keys);
	}

	#react(key: string, present: boolean) {
		const parsed = parseReactionKey(key);
		if (!parsed) return;
		const byEmoji = this.#reactions.get(parsed.messageKey) ?? new Map<string, Set<string>>();
		const users = byEmoji.get(parsed.emoji) ?? new Set<string>();
		if (present) users.add(parsed.userId);
		else users.delete(parsed.userId);
		if (users.size) byEmoji.set(parsed.emoji, users);
		else byEmoji.delete(parsed.emoji);
		this.#reactions.set(parsed.messageKey, byEmoji);
		this.#cache.delete(parsed.messageKey);
	}

	/** Status and closing reason: the worst of the main document's and the live month's; the latest refusal of any. */
	#readConnections(changed: RoomConnection) {
		// Until they have synced, the months opened for their unread messages count too: the divider waits for them.
		const live = [...new Set([this.#main, this.#documents.live, ...this.#first])];
		const worst = live.reduce((a, b) => (STATUS_ORDER.indexOf(b.status) < STATUS_ORDER.indexOf(a.status) ? b : a));
		this.status = worst.status;
		this.closedReason = live.find((c) => c.closedReason)?.closedReason ?? '';
		if (changed.lastRefusal !== (this.#refusals.get(changed) ?? '')) {
			this.#refusals.set(changed, changed.lastRefusal);
			this.refusal = changed.lastRefusal;
		}
	}

	/**
	 * Opens older months until at least `atLeast` more messages show or none are left; says how many
	 * were added (scrolling back keeps its place only when something was).
	 */
	async loadOlder(atLeast = 1): Promise<number> {
		const before = this.#order.keys.length;
		while (this.#order.keys.length - before < atLeast) {
			const opened = await this.#documents.openOlder();
			if (!opened) break;
			await Promise.resolve();
		}
		this.hasOlder = this.#documents.older !== undefined;
		return this.#order.keys.length - before;
	}

	#message(key: string): ChatMessage | undefined {
		const cached = this.#cache.get(key);
		if (cached) return cached;
		const connection = this.#documents.holding(key);
		const map = connection?.doc.getMap<MessageValue>(MESSAGES);
		const value = map?.get(key);
		const parsed = parseMessageKey(key);
		if (!connection || !value || !parsed) return undefined;
		const item = (map as unknown as { _map: Map<string, Y.Item> })._map.get(key);
		const pending = parsed.authorId === this.#userId && !!item && !connection.serverHas(item.id.client, item.id.clock + item.length - 1);
		const reactions = [...(this.#reactions.get(key) ?? new Map<string, Set<string>>())].map(([emoji, users]) => ({
			emoji,
			count: users.size,
			mine: users.has(this.#userId),
			userIds: [...users]
		}));
		const message: ChatMessage = {
			key,
			authorId: parsed.authorId,
			text: value.text,
			createdAt: value.createdAt,
			editedAt: value.editedAt,
			replyTo: value.replyTo,
			files: value.files,
			mentions: value.mentions,
			pending,
			reactions
		};
		this.#cache.set(key, message);
		return message;
	}

	#publish() {
		const next: ChatMessage[] = [];
		for (const key of this.#order.keys) {
			const message = this.#message(key);
			if (message) next.push(message);
		}
		this.messages = next;
	}

	#readAwareness() {
		const now = Date.now();
		const online = new Set<string>();
		const typing = new Set<string>();
		for (const [client, state] of this.#main.provider.awareness.getStates() as Map<number, AwarenessState>) {
			const id = state.user?.id;
			if (!id || client === this.#main.doc.clientID || id === this.#userId) continue;
			online.add(id);
			if (state.typing && now - state.typing < TYPING_MS) typing.add(id);
		}
		const same = (a: string[], b: Set<string>) => a.length === b.size && a.every((x) => b.has(x));
		if (!same(this.online, online)) this.online = [...online];
		if (!same(this.typing, typing)) this.typing = [...typing];
	}

	set members(ids: Iterable<string>) {
		this.#members = new Set(ids);
	}

	get(key: string): ChatMessage | undefined {
		return this.#message(key);
	}

	/** Whether the server's rules for the room document take this entry from me (see entryProblem). */
	#allowed(root: string, key: string, value: unknown): boolean {
		const members = this.#members;
		return entryProblem(root, key, value, { userId: this.#userId, now: Date.now(), notBefore: -Infinity, isMember: (id) => members.has(id) }) === null;
	}

	send(text: string, replyTo?: string, mentions?: string[]): string | null {
		const key = newMessageKey(this.#userId);
		return this.write(key, text, { replyTo, mentions }) ? key : null;
	}

	/**
	 * Writes a message under a key made earlier (a message with files is written once its files
	 * are stored, under the key it got when the person sent it, so it keeps its place).
	 */
	write(key: string, text: string, extra: { replyTo?: string; files?: Attachment[]; mentions?: string[] } = {}): boolean {
		const value: MessageValue = { text: text.trim(), createdAt: parseMessageKey(key)!.time };
		if (extra.replyTo) value.replyTo = extra.replyTo;
		if (extra.mentions?.length) value.mentions = extra.mentions;
		if (extra.files?.length) value.files = extra.files;
		if (!this.#allowed(MESSAGES, key, value)) return false;
		this.#documents.forKey(key).doc.getMap<MessageValue>(MESSAGES).set(key, value);
		this.stopTyping();
		return true;
	}

	edit(key: string, text: string, mentions: string[] = []): boolean {
		const map = this.#documents.holding(key)?.doc.getMap<MessageValue>(MESSAGES);
		const current = map?.get(key);
		if (!map || !current) return false;
		const { mentions: _before, ...rest } = current;
		const edited: MessageValue = { ...rest, text: text.trim(), editedAt: Date.now(), ...(mentions.length ? { mentions } : {}) };
		if (!this.#allowed(MESSAGES, key, edited)) return false;
		if (edited.text !== current.text || (mentions.join() !== (current.mentions ?? []).join())) map.set(key, edited);
		return true;
	}

	delete(key: string): void {
		const doc = this.#documents.holding(key)?.doc;
		if (!doc) return;
		const reactions = doc.getMap<ReactionValue>(REACTIONS);
		doc.transact(() => {
			doc.getMap(MESSAGES).delete(key);
			// My reactions to it go too; others' stay until they remove them (the server checks ownership).
			for (const rKey of [...reactions.keys()]) {
				const parsed = parseReactionKey(rKey);
				if (parsed?.messageKey === key && parsed.userId === this.#userId) reactions.delete(rKey);
			}
		});
	}

	toggleReaction(messageKey: string, emoji: string): void {
		const reactions = this.#documents.forKey(messageKey).doc.getMap<ReactionValue>(REACTIONS);
		const key = reactionKey(messageKey, this.#userId, emoji);
		if (reactions.has(key)) reactions.delete(key);
		else if (this.#allowed(REACTIONS, key, { at: Date.now() })) reactions.set(key, { at: Date.now() });
	}

	/** Tells others that I am typing; cheap to call on every keystroke. */
	typed(): void {
		const now = Date.now();
		if (now - this.#lastTyping < 2000) return;
		this.#lastTyping = now;
		this.#main.provider.awareness.setLocalStateField('typing', now);
	}

	stopTyping(): void {
		if (!this.#lastTyping) return;
		this.#lastTyping = 0;
		this.#main.provider.awareness.setLocalStateField('typing', 0);
	}

	destroy(): void {
		for (const stop of this.#cleanup) stop();
	}
}
