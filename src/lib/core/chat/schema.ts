import { z } from 'zod';

/**
 * The room document (one Y.Doc per room): two top-level maps whose values are plain JSON,
 * never nested Yjs types, so the server can check every change at the struct level.
 */
export const MESSAGES = 'messages';
export const REACTIONS = 'reactions';
export const ROOTS = [MESSAGES, REACTIONS] as const;

export const MAX_TEXT_LENGTH = 4000;
export const MAX_UPDATE_BYTES = 256 * 1024;
/** How far ahead of the server's clock a message's time may be (clients' clocks drift). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
export const MAX_EMOJI_LENGTH = 16;

export const messageValue = z.strictObject({
	text: z.string().min(1, 'a message needs text').max(MAX_TEXT_LENGTH, `text is longer than ${MAX_TEXT_LENGTH} characters`),
	createdAt: z.number().int(),
	editedAt: z.number().int().optional(),
	replyTo: z.string().max(200).optional()
});
export type MessageValue = z.infer<typeof messageValue>;

/** A reaction's value: when it was added. The key says who reacted with what to which message. */
export const reactionValue = z.strictObject({ at: z.number().int() });
export type ReactionValue = z.infer<typeof reactionValue>;
