import type { Role } from '#lib/rooms/schemas.ts';
import { m } from '#lib/paraglide/messages.js';

/** A room role as a person reads it, in the current language. */
export const roleLabel = (role: Role): string => ({ owner: m.role_owner, admin: m.role_admin, member: m.role_member })[role]();
