import { compareMessageKeys } from '../core/chat/message-key.ts';

type Listed = { key: string; authorId: string; createdAt: number; pending?: boolean };

/**
 * Where the "New messages" divider goes: the first message by someone else written after the
 * person last read the room (the rule the lobby's unread count follows), or none.
 */
export function firstUnread(messages: readonly Listed[], readAt: number, me: string): string | undefined {
	return messages.find((message) => message.authorId !== me && !message.pending && message.createdAt > readAt)?.key;
}

/** How many messages by others came after `seenKey` (the newest the person had at the bottom of the list): the count on "Jump to latest". */
export function newSince(messages: readonly Listed[], seenKey: string, me: string): number {
	let count = 0;
	for (let i = messages.length - 1; i >= 0 && compareMessageKeys(messages[i].key, seenKey) > 0; i--) {
		if (messages[i].authorId !== me) count++;
	}
	return count;
}

const STORAGE_PREFIX = 'parley:read:';

/** What this device read of a room last (a message time), for a room opened offline from a page the server saw earlier. */
export function rememberedRead(roomId: string, storage: Pick<Storage, 'getItem'> = localStorage): number {
	const value = Number(storage.getItem(STORAGE_PREFIX + roomId));
	return Number.isFinite(value) ? value : 0;
}

export function rememberRead(roomId: string, time: number, storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): void {
	if (time > rememberedRead(roomId, storage)) storage.setItem(STORAGE_PREFIX + roomId, String(time));
}
