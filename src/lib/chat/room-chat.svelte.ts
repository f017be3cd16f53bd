/* eslint-disable svelte/prefer-svelte-reactivity -- these maps are private indexes; what the UI reads is published through $state.raw */
import * as Y from 'yjs';
import { newMessageKey, parseMessageKey, parseReactionKey, reactionKey } from '../core/chat/message-key.ts';
import type { ConnectionStatus, RoomConnection } from './room-connection.ts';
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
	/** A message with files still on this device: how their upload goes (see RoomUploads). */
	outgoing?: Outgoing;
	/** Written here but not yet stored by the server. */
	pending: boolean;
	reactions: Reaction[];
};

/** People are "typing" for this long after their last keystroke. */
const TYPING_MS = 6000;

type AwarenessState = { user?: { id: string; name: string }; typing?: number };

/**
 * A room's chat as Svelte state: the ordered messages of its Y.Doc with their reactions
 * and sending state, who is online and typing, and the operations a person can do.
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

	readonly #connection: RoomConnection;
	readonly #userId: string;
	readonly #map: Y.Map<MessageValue>;
	readonly #reactionsMap: Y.Map<ReactionValue>;
	#order = new SortedKeys();
	readonly #cache = new Map<string, ChatMessage>();
	readonly #reactions = new Map<string, Map<string, Set<string>>>();
	readonly #cleanup: (() => void)[] = [];
	#lastTyping = 0;
	/** Until the document is read from IndexedDB, changes are folded in once, in one sort. */
	#ready = false;

	constructor(connection: RoomConnection, userId: string) {
		this.#connection = connection;
		this.#userId = userId;
		this.#map = connection.doc.getMap(MESSAGES);
		this.#reactionsMap = connection.doc.getMap(REACTIONS);

		const onMessages = (event: Y.YMapEvent<MessageValue>) => {
			if (!this.#ready) return;
			const changes = event.changes.keys;
			// A big batch (a new device's first sync): one sort beats inserting keys one by one.
			if (changes.size > 500) {
				for (const key of changes.keys()) this.#cache.delete(key);
				this.#order = new SortedKeys(this.#map.keys());
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
			if (!this.#ready) return;
			for (const [key, change] of event.changes.keys) {
				const parsed = parseReactionKey(key);
				if (!parsed) continue;
				const byEmoji = this.#reactions.get(parsed.messageKey) ?? new Map<string, Set<string>>();
				const users = byEmoji.get(parsed.emoji) ?? new Set<string>();
				if (change.action === 'delete') users.delete(parsed.userId);
				else users.add(parsed.userId);
				if (users.size) byEmoji.set(parsed.emoji, users);
				else byEmoji.delete(parsed.emoji);
				this.#reactions.set(parsed.messageKey, byEmoji);
				this.#cache.delete(parsed.messageKey);
			}
			this.#publish();
		};
		this.#map.observe(onMessages);
		this.#reactionsMap.observe(onReactions);
		this.#cleanup.push(() => this.#map.unobserve(onMessages), () => this.#reactionsMap.unobserve(onReactions));

		const onConnection = () => {
			this.status = connection.status;
			this.closedReason = connection.closedReason;
			this.refusal = connection.lastRefusal;
			// Acknowledgements arrived: some of our messages may no longer be pending.
			for (const [key, message] of this.#cache) if (message.pending) this.#cache.delete(key);
			this.#publish();
		};
		this.#cleanup.push(connection.onChange(onConnection));
		// The connection may have changed before this chat was made (history read from IndexedDB, the network found gone).
		this.status = connection.status;
		this.closedReason = connection.closedReason;
		this.refusal = connection.lastRefusal;

		const awareness = connection.provider.awareness;
		const onAwareness = () => this.#readAwareness();
		awareness.on('change', onAwareness);
		const tick = setInterval(onAwareness, 2000);
		this.#cleanup.push(() => awareness.off('change', onAwareness), () => clearInterval(tick));

		void connection.loaded.then(() => {
			this.#order = new SortedKeys(this.#map.keys());
			for (const key of this.#reactionsMap.keys()) {
				const parsed = parseReactionKey(key);
				if (!parsed) continue;
				const byEmoji = this.#reactions.get(parsed.messageKey) ?? new Map<string, Set<string>>();
				byEmoji.set(parsed.emoji, (byEmoji.get(parsed.emoji) ?? new Set()).add(parsed.userId));
				this.#reactions.set(parsed.messageKey, byEmoji);
			}
			this.#ready = true;
			this.loaded = true;
			this.#publish();
		});
	}

	#message(key: string): ChatMessage | undefined {
		const cached = this.#cache.get(key);
		if (cached) return cached;
		const value = this.#map.get(key);
		const parsed = parseMessageKey(key);
		if (!value || !parsed) return undefined;
		const item = (this.#map as unknown as { _map: Map<string, Y.Item> })._map.get(key);
		const pending = parsed.authorId === this.#userId && !!item && !this.#connection.serverHas(item.id.client, item.id.clock + item.length - 1);
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
		for (const [client, state] of this.#connection.provider.awareness.getStates() as Map<number, AwarenessState>) {
			const id = state.user?.id;
			if (!id || client === this.#connection.doc.clientID || id === this.#userId) continue;
			online.add(id);
			if (state.typing && now - state.typing < TYPING_MS) typing.add(id);
		}
		const same = (a: string[], b: Set<string>) => a.length === b.size && a.every((x) => b.has(x));
		if (!same(this.online, online)) this.online = [...online];
		if (!same(this.typing, typing)) this.typing = [...typing];
	}

	get(key: string): ChatMessage | undefined {
		return this.#message(key);
	}

	/** Whether the server's rules for the room document take this entry from me (see entryProblem). */
	#allowed(root: string, key: string, value: unknown): boolean {
		return entryProblem(root, key, value, { userId: this.#userId, now: Date.now(), notBefore: -Infinity }) === null;
	}

	send(text: string, replyTo?: string): string | null {
		const key = newMessageKey(this.#userId);
		return this.write(key, text, { replyTo }) ? key : null;
	}

	/**
	 * Writes a message under a key made earlier (a message with files is written once its files
	 * are stored, under the key it got when the person sent it, so it keeps its place).
	 */
	write(key: string, text: string, extra: { replyTo?: string; files?: Attachment[] } = {}): boolean {
		const value: MessageValue = { text: text.trim(), createdAt: parseMessageKey(key)!.time };
		if (extra.replyTo) value.replyTo = extra.replyTo;
		if (extra.files?.length) value.files = extra.files;
		if (!this.#allowed(MESSAGES, key, value)) return false;
		this.#map.set(key, value);
		this.stopTyping();
		return true;
	}

	edit(key: string, text: string): boolean {
		const current = this.#map.get(key);
		if (!current) return false;
		const edited = { ...current, text: text.trim(), editedAt: Date.now() };
		if (!this.#allowed(MESSAGES, key, edited)) return false;
		if (edited.text !== current.text) this.#map.set(key, edited);
		return true;
	}

	delete(key: string): void {
		this.#connection.doc.transact(() => {
			this.#map.delete(key);
			// My reactions to it go too; others' stay until they remove them (the server checks ownership).
			for (const rKey of [...this.#reactionsMap.keys()]) {
				const parsed = parseReactionKey(rKey);
				if (parsed?.messageKey === key && parsed.userId === this.#userId) this.#reactionsMap.delete(rKey);
			}
		});
	}

	toggleReaction(messageKey: string, emoji: string): void {
		const key = reactionKey(messageKey, this.#userId, emoji);
		if (this.#reactionsMap.has(key)) this.#reactionsMap.delete(key);
		else if (this.#allowed(REACTIONS, key, { at: Date.now() })) this.#reactionsMap.set(key, { at: Date.now() });
	}

	/** Tells others that I am typing; cheap to call on every keystroke. */
	typed(): void {
		const now = Date.now();
		if (now - this.#lastTyping < 2000) return;
		this.#lastTyping = now;
		this.#connection.provider.awareness.setLocalStateField('typing', now);
	}

	stopTyping(): void {
		if (!this.#lastTyping) return;
		this.#lastTyping = 0;
		this.#connection.provider.awareness.setLocalStateField('typing', 0);
	}

	destroy(): void {
		for (const stop of this.#cleanup) stop();
	}
}
