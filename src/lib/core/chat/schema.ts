import { z } from 'zod';
import { MAX_MENTIONS } from './mentions.ts';

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

export const MAX_FILES_PER_MESSAGE = 10;
export const MAX_FILE_NAME = 200;

/**
 * A file attached to a message, as the server stored it (see the `file` table): the server checks
 * every field against its record, so what the room shows is what it serves.
 */
export const attachment = z.strictObject({
	id: z.uuid(),
	hash: z.string().regex(/^[0-9a-f]{64}$/, 'hash must be a sha256 in hex'),
	name: z.string().min(1).max(MAX_FILE_NAME),
	size: z.number().int().nonnegative(),
	type: z.string().min(1).max(100),
	width: z.number().int().positive().optional(),
	height: z.number().int().positive().optional(),
	/** The server made a thumbnail (images). */
	thumb: z.literal(true).optional(),
	/** A voice message recorded in the app, and how long it plays. */
	voice: z.literal(true).optional(),
	durationMs: z.number().int().nonnegative().max(6 * 60 * 60 * 1000).optional()
});
export type Attachment = z.infer<typeof attachment>;

export const messageValue = z
	.strictObject({
		text: z.string().max(MAX_TEXT_LENGTH, `text is longer than ${MAX_TEXT_LENGTH} characters`),
		createdAt: z.number().int(),
		editedAt: z.number().int().optional(),
		replyTo: z.string().max(200).optional(),
		files: z.array(attachment).min(1).max(MAX_FILES_PER_MESSAGE, `a message can have at most ${MAX_FILES_PER_MESSAGE} files`).optional(),
		/** The people the text mentions (`<@id>` in it, see mentions.ts). */
		mentions: z
			.array(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a mention must be a user id'))
			.min(1)
			.max(MAX_MENTIONS, `a message can mention at most ${MAX_MENTIONS} people`)
			.optional()
	})
	.refine((value) => value.text.length > 0 || value.files !== undefined, { message: 'a message needs text or a file', path: ['text'] });
export type MessageValue = z.infer<typeof messageValue>;

/** A reaction's value: when it was added. The key says who reacted with what to which message. */
export const reactionValue = z.strictObject({ at: z.number().int() });
export type ReactionValue = z.infer<typeof reactionValue>;
