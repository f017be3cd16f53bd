import type { Role } from '#lib/rooms/schemas.ts';
import type { ReactionEmoji } from '#lib/core/call/reactions.ts';
import { m } from '#lib/paraglide/messages.js';

/** A room role as a person reads it, in the current language. */
export const roleLabel = (role: Role): string => ({ owner: m.role_owner, admin: m.role_admin, member: m.role_member })[role]();

/** A call reaction's name, for screen readers and tooltips (the emoji alone reads differently everywhere). */
export const reactionLabel = (emoji: ReactionEmoji): string =>
	({ '👍': m.reaction_thumbs_up, '❤️': m.reaction_heart, '😂': m.reaction_laugh, '🎉': m.reaction_party, '👏': m.reaction_clap, '😮': m.reaction_wow })[emoji]();
