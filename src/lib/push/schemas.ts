import { z } from 'zod';

/** A browser's PushSubscription as `toJSON()` gives it, plus whether new messages should notify. */
export const subscriptionBody = z.object({
	endpoint: z.url({ protocol: /^https$/, error: 'endpoint must be the https URL of the push service (from the browser’s PushSubscription)' }).max(2048),
	keys: z.object({
		p256dh: z
			.string({ error: 'keys.p256dh is required' })
			.regex(/^[\w-]+=*$/, 'keys.p256dh must be base64url')
			.refine((v) => isP256Point(v), 'keys.p256dh must be an uncompressed P-256 public key (65 bytes)'),
		auth: z.string({ error: 'keys.auth is required' }).regex(/^[\w-]+=*$/, 'keys.auth must be base64url').min(8).max(64)
	}),
	expirationTime: z.number().nullable().optional(),
	messages: z.boolean().optional()
});
export type SubscriptionBody = z.infer<typeof subscriptionBody>;

export const unsubscribeBody = z.object({ endpoint: z.string({ error: 'endpoint is required' }).min(1).max(2048) });

/** What the service worker receives. Ids and names only; message text only when the person asked for message notifications. */
export type PushPayload = (
	| { type: 'ring'; roomId: string; roomName: string; callerId: string; callerName: string; at: number }
	| { type: 'ring-end'; roomId: string }
	| { type: 'message'; roomId: string; roomName: string; authorName: string; text: string; count: number; /** The message mentions the person. */ mention?: true }
) & { /** The language the person chose in Settings; without it, the browser's. */ locale?: string };

export const callTag = (roomId: string) => `call:${roomId}`;
export const roomTag = (roomId: string) => `room:${roomId}`;

/** An uncompressed P-256 point: 65 bytes starting with 4 (base64url, as PushSubscription gives it). */
function isP256Point(value: string): boolean {
	try {
		const bytes = Uint8Array.from(atob(value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')), (c) => c.charCodeAt(0));
		return bytes.length === 65 && bytes[0] === 4;
	} catch {
		return false;
	}
}
