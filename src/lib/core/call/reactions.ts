/** The emoji a person may send as a reaction in a call: the server refuses any other. */
export const REACTIONS = ['👍', '❤️', '😂', '🎉', '👏', '😮'] as const;

export type ReactionEmoji = (typeof REACTIONS)[number];

/** A reaction on awareness: the emoji, a counter that grows with each one sent (so the same emoji twice shows twice), and when (sender's clock). */
export type CallReaction = { emoji: ReactionEmoji; n: number; at: number };

export const isReactionEmoji = (value: unknown): value is ReactionEmoji => typeof value === 'string' && (REACTIONS as readonly string[]).includes(value);

/** How long a reaction floats over the stage. */
export const REACTION_SHOWN_MS = 4000;
