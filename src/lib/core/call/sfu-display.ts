/**
 * Who a feed on the SFU belongs to. A publisher names its feed with a tag (its call peer id, or
 * `screen:<peerId>` for a shared screen); the server's `/sfu` proxy writes the Janus `display` as
 * `<tag>@<userId>` with the user id of the authenticated session, so the user part is the
 * server's word and a browser attributes a feed only to the person it names.
 */
export const SCREEN_TAG = 'screen:';
const TAG = /^(screen:)?[A-Za-z0-9_-]{1,64}$/;

export type FeedOwner = { userId: string; peerId: string; screen: boolean };

/** Whether a publisher's own part of the display is acceptable (no `@`, short, plain characters). */
export const isFeedTag = (tag: unknown): tag is string => typeof tag === 'string' && TAG.test(tag);

/** The display the proxy gives a feed. */
export const feedDisplay = (tag: string, userId: string): string => `${tag}@${userId}`;

export function parseFeedDisplay(display: unknown): FeedOwner | null {
	if (typeof display !== 'string') return null;
	const at = display.indexOf('@');
	const tag = display.slice(0, at);
	const userId = display.slice(at + 1);
	if (at < 0 || !isFeedTag(tag) || !userId) return null;
	const screen = tag.startsWith(SCREEN_TAG);
	return { userId, peerId: screen ? tag.slice(SCREEN_TAG.length) : tag, screen };
}

/** One person's device in a call, as the SFU client keys it: both parts must match a participant. */
export const sfuKey = (userId: string, peerId: string): string => `${userId} ${peerId}`;
