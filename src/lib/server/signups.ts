import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { SIGNUP_MODES, type SignupMode } from './config.ts';

/** Header the sign-up form sends with the room invite or admin sign-up link it came from. */
export const SIGNUP_TOKEN_HEADER = 'x-parley-signup-token';
export const SIGNUP_LINK_HOURS = 24 * 7;

/** Why a sign-up may go ahead, or why not. */
export type SignupDecision =
	| { allowed: true; via: 'first' | 'open' | 'invite' | 'admin-link'; linkToken?: string }
	| { allowed: false; reason: 'invite-needed' | 'closed' | 'link-unusable' };

/**
 * Who may create an account: the first account always (it becomes the administrator); then
 * per the mode — `open` anyone, `invite` with a usable room invite link or admin sign-up link,
 * `closed` with an admin sign-up link only. Pure over the facts, so it is tested on its own.
 */
export function decideSignup(facts: { mode: SignupMode; accounts: number; token: 'none' | 'invite' | 'admin-link' | 'unusable'; tokenValue?: string }): SignupDecision {
	if (facts.accounts === 0) return { allowed: true, via: 'first' };
	if (facts.token === 'admin-link') return { allowed: true, via: 'admin-link', linkToken: facts.tokenValue };
	if (facts.mode === 'open') return { allowed: true, via: 'open' };
	if (facts.token === 'unusable') return { allowed: false, reason: 'link-unusable' };
	if (facts.mode === 'invite' && facts.token === 'invite') return { allowed: true, via: 'invite' };
	return { allowed: false, reason: facts.mode === 'closed' ? 'closed' : 'invite-needed' };
}

export type SignupLink = { token: string; createdAt: number; expiresAt: number; usedAt: number | null };

/** The instance's sign-up mode (an admin's choice in the database over the environment's default) and admin sign-up links. */
export class Signups {
	readonly #db: DatabaseSync;
	readonly #defaultMode: SignupMode;
	readonly #now: () => number;

	constructor(db: DatabaseSync, defaultMode: SignupMode, now: () => number = Date.now) {
		this.#db = db;
		this.#defaultMode = defaultMode;
		this.#now = now;
	}

	/** The mode in force, and whether it comes from the admin page (`stored`) or the SIGNUPS setting. */
	mode(): { mode: SignupMode; stored: boolean; defaultMode: SignupMode } {
		const row = this.#db.prepare(`select value from instance_setting where key = 'signups'`).get() as { value: string } | undefined;
		const stored = row && (SIGNUP_MODES as readonly string[]).includes(row.value) ? (row.value as SignupMode) : undefined;
		return { mode: stored ?? this.#defaultMode, stored: stored !== undefined, defaultMode: this.#defaultMode };
	}

	setMode(mode: SignupMode | null, byUserId: string): void {
		if (mode === null) this.#db.prepare(`delete from instance_setting where key = 'signups'`).run();
		else
			this.#db
				.prepare(`insert into instance_setting (key, value, updatedAt, updatedBy) values ('signups', ?, ?, ?) on conflict (key) do update set value = excluded.value, updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy`)
				.run(mode, this.#now(), byUserId);
	}

	/** What a token from the sign-up form is: a usable room invite link, a usable admin sign-up link, or neither. */
	#token(token: string | null): 'none' | 'invite' | 'admin-link' | 'unusable' {
		if (!token) return 'none';
		const now = this.#now();
		const link = this.#db.prepare('select expiresAt, usedAt from signup_link where token = ?').get(token) as { expiresAt: number; usedAt: number | null } | undefined;
		if (link) return link.usedAt === null && link.expiresAt > now ? 'admin-link' : 'unusable';
		const invite = this.#db.prepare('select expiresAt, maxUses, useCount, revokedAt from room_invite where token = ?').get(token) as
			| { expiresAt: number; maxUses: number | null; useCount: number; revokedAt: number | null }
			| undefined;
		if (!invite) return 'unusable';
		return invite.revokedAt === null && invite.expiresAt > now && (invite.maxUses === null || invite.useCount < invite.maxUses) ? 'invite' : 'unusable';
	}

	decide(token: string | null): SignupDecision {
		const { n } = this.#db.prepare('select count(*) as n from user').get() as { n: number };
		const kind = this.#token(token);
		return decideSignup({ mode: this.mode().mode, accounts: n, token: kind, tokenValue: token ?? undefined });
	}

	/** After an account was created: the earliest account is the administrator; an admin sign-up link is used up. */
	created(userId: string, linkToken: string | undefined): void {
		this.#db.prepare(`update user set isAdmin = 1 where id = ? and id = (select id from user order by createdAt, rowid limit 1) and not exists (select 1 from user where isAdmin = 1)`).run(userId);
		if (linkToken) this.#db.prepare('update signup_link set usedAt = ?, usedBy = ? where token = ? and usedAt is null').run(this.#now(), userId, linkToken);
	}

	createLink(byUserId: string, hours = SIGNUP_LINK_HOURS): SignupLink {
		const now = this.#now();
		const link = { token: randomBytes(24).toString('base64url'), createdAt: now, expiresAt: now + hours * 3600_000, usedAt: null };
		this.#db.prepare('insert into signup_link (token, createdBy, createdAt, expiresAt) values (?, ?, ?, ?)').run(link.token, byUserId, link.createdAt, link.expiresAt);
		return link;
	}

	/** Links still usable, newest first. */
	links(): SignupLink[] {
		return this.#db.prepare('select token, createdAt, expiresAt, usedAt from signup_link where usedAt is null and expiresAt > ? order by createdAt desc limit 50').all(this.#now()) as SignupLink[];
	}

	isAdmin(userId: string): boolean {
		const row = this.#db.prepare('select isAdmin, disabledAt from user where id = ?').get(userId) as { isAdmin: number; disabledAt: number | null } | undefined;
		return !!row && row.isAdmin === 1 && row.disabledAt === null;
	}

	/** Whether the person is the instance's only administrator (who therefore cannot delete their account). */
	isLastAdmin(userId: string): boolean {
		return this.isAdmin(userId) && !this.#db.prepare('select 1 from user where isAdmin = 1 and disabledAt is null and id != ? limit 1').get(userId);
	}

	isDisabled(userId: string): boolean {
		const row = this.#db.prepare('select disabledAt from user where id = ?').get(userId) as { disabledAt: number | null } | undefined;
		return row?.disabledAt != null;
	}
}
