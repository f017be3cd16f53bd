import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { ApiFailure, forbidden } from './api-failure.ts';
import { RESET_PATH, type Auth } from './auth.ts';
import type { Config, SignupMode } from './config.ts';
import type { RoomEvents } from './events.ts';
import type { RoomFiles } from './rooms.ts';
import type { LiveSessions } from './live-sessions.ts';
import type { Signups } from './signups.ts';
import { m } from '../paraglide/messages.js';

export type AdminPerson = { id: string; name: string; email: string; isAdmin: boolean; disabledAt: number | null; createdAt: string; rooms: number };
export type AdminRoom = { id: string; name: string; kind: 'group' | 'direct'; members: number; messages: number; bytes: number; lastActivityAt: number };
export type AuditEntry = { id: number; at: number; actorName: string; action: string; target: string | null; detail: string | null };

type PersonRow = { id: string; name: string; email: string; isAdmin: number; disabledAt: number | null };

const RESET_LINK_SECONDS = 24 * 3600;
const PAGE = 100;

/** The instance administrator's actions (the /admin page and /api/admin/*); each is written to the audit log. */
export class Admin {
	readonly #db: DatabaseSync;
	readonly #auth: Auth;
	readonly #events: RoomEvents;
	readonly #liveSessions: LiveSessions;
	readonly #signups: Signups;
	readonly #config: Config;
	readonly #files: RoomFiles;

	constructor(options: { db: DatabaseSync; auth: Auth; events: RoomEvents; liveSessions: LiveSessions; signups: Signups; files: RoomFiles; config: Config }) {
		this.#db = options.db;
		this.#auth = options.auth;
		this.#events = options.events;
		this.#liveSessions = options.liveSessions;
		this.#signups = options.signups;
		this.#config = options.config;
		this.#files = options.files;
	}

	/** Refuses anyone who is not an (enabled) administrator: checked on every request. */
	require(userId: string): { id: string; name: string } {
		if (!this.#signups.isAdmin(userId)) throw forbidden(m.err_admins_only());
		return this.#db.prepare('select id, name from user where id = ?').get(userId) as { id: string; name: string };
	}

	#audit(actorId: string, action: string, target: string | null, detail: string | null = null): void {
		const actor = this.#db.prepare('select name from user where id = ?').get(actorId) as { name: string };
		this.#db.prepare('insert into admin_audit (at, actorId, actorName, action, target, detail) values (?, ?, ?, ?, ?, ?)').run(Date.now(), actorId, actor.name, action, target, detail);
	}

	people(query: string): AdminPerson[] {
		const like = `%${query.trim().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
		const rows = this.#db
			.prepare(
				`select u.id, u.name, u.email, u.isAdmin, u.disabledAt, u.createdAt, (select count(*) from room_member rm where rm.userId = u.id) as rooms
				 from user u where u.name like ? escape '\\' or u.email like ? escape '\\' order by u.createdAt limit ${PAGE}`
			)
			.all(like, like) as (Omit<AdminPerson, 'isAdmin'> & { isAdmin: number })[];
		return rows.map((r) => ({ ...r, isAdmin: r.isAdmin === 1, createdAt: String(r.createdAt) }));
	}

	#person(userId: string): PersonRow {
		const row = this.#db.prepare('select id, name, email, isAdmin, disabledAt from user where id = ?').get(userId) as PersonRow | undefined;
		if (!row) throw new ApiFailure(404, m.err_no_person());
		return row;
	}

	/** Disables an account: it cannot sign in, its sessions end, and with them its sockets and event streams (at once). */
	setDisabled(actorId: string, userId: string, disabled: boolean): void {
		const person = this.#person(userId);
		if (userId === actorId) throw new ApiFailure(409, m.err_admin_disable_self());
		this.#db.prepare('update user set disabledAt = ? where id = ?').run(disabled ? Date.now() : null, userId);
		if (disabled) {
			this.#db.prepare('delete from session where userId = ?').run(userId);
			this.#liveSessions.check();
		}
		this.#audit(actorId, disabled ? 'person.disabled' : 'person.enabled', `${person.name} <${person.email}>`);
	}

	/** A reset-password link for someone (to hand over in person); the same page as the mailed links. */
	async resetLink(actorId: string, userId: string, origin: string): Promise<{ url: string; expiresAt: number }> {
		const person = this.#person(userId);
		const token = randomBytes(24).toString('base64url');
		const expiresAt = Date.now() + RESET_LINK_SECONDS * 1000;
		const context = await this.#auth.$context;
		await context.internalAdapter.createVerificationValue({ value: person.id, identifier: `reset-password:${token}`, expiresAt: new Date(expiresAt) });
		this.#audit(actorId, 'person.reset_link', `${person.name} <${person.email}>`);
		return { url: `${this.#config.origin ?? origin}${RESET_PATH}?token=${token}`, expiresAt };
	}

	rooms(): { count: number; list: AdminRoom[] } {
		const { count } = this.#db.prepare('select count(*) as count from room').get() as { count: number };
		const list = this.#db
			.prepare(
				`select r.id, r.name, r.kind, r.lastActivityAt,
				  (select count(*) from room_member m where m.roomId = r.id) as members,
				  (select count(*) from chat_message c where c.roomId = r.id) as messages,
				  coalesce((select sum(length(data)) from sync_update u where u.roomId = r.id), 0) + coalesce((select sum(length(data)) from sync_snapshot s where s.roomId = r.id), 0) as bytes
				 from room r order by bytes desc, r.lastActivityAt desc limit ${PAGE}`
			)
			.all() as AdminRoom[];
		return { count, list };
	}

	/**
	 * Deletes a room, whoever owns it: its members' sockets to it close (the 'deleted' event). The
	 * promise settles when its files' bytes (those no other room uses) are deleted too.
	 */
	deleteRoom(actorId: string, roomId: string): Promise<void> {
		const room = this.#db.prepare('select name from room where id = ?').get(roomId) as { name: string } | undefined;
		if (!room) throw new ApiFailure(404, m.err_no_room());
		const members = (this.#db.prepare('select userId from room_member where roomId = ?').all(roomId) as { userId: string }[]).map((r) => r.userId);
		const bytesGone = this.#files.deleteRoom(roomId, () => void this.#db.prepare('delete from room where id = ?').run(roomId));
		this.#events.emit({ roomId, kind: 'deleted', notify: members, revoked: members });
		this.#audit(actorId, 'room.deleted', room.name, `${members.length}`);
		return bytesGone;
	}

	storage(): { databaseBytes: number; dataDirBytes: number; dataDir: string } {
		const { size } = this.#db.prepare('select page_count * page_size as size from pragma_page_count(), pragma_page_size()').get() as { size: number };
		return { databaseBytes: size, dataDirBytes: folderBytes(this.#config.dataDir), dataDir: this.#config.dataDir };
	}

	setSignupMode(actorId: string, mode: SignupMode | null): void {
		this.#signups.setMode(mode, actorId);
		this.#audit(actorId, 'settings.signups', null, mode ?? 'default');
	}

	signupLink(actorId: string, origin: string): { url: string; expiresAt: number } {
		const link = this.#signups.createLink(actorId);
		this.#audit(actorId, 'signup_link.created', null);
		return { url: `${this.#config.origin ?? origin}/signup?link=${link.token}`, expiresAt: link.expiresAt };
	}

	audit(): AuditEntry[] {
		return this.#db.prepare(`select id, at, actorName, action, target, detail from admin_audit order by id desc limit ${PAGE}`).all() as AuditEntry[];
	}
}

function folderBytes(dir: string): number {
	let total = 0;
	try {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) total += folderBytes(path);
			else if (entry.isFile()) total += statSync(path).size;
		}
	} catch {
		// A folder that vanished or cannot be read counts as empty.
	}
	return total;
}
