import { randomBytes } from 'node:crypto';

/** A ticket must be used within this time, once. */
export const TICKET_TTL_MS = 60_000;

export type SfuTicket = { userId: string; roomId: string; janusRoom: number; issuedAt: number };

/**
 * Single-use tickets for one `/sfu` connection: issued by the server to a member of a call on
 * the SFU (through the join endpoint, which checks who may have one) and taken when the socket
 * opens. They bind the socket to that person, room and videoroom.
 */
export class SfuTickets {
	readonly #tickets = new Map<string, SfuTicket>();

	issue(ticket: Omit<SfuTicket, 'issuedAt'>, now = Date.now()): string {
		for (const [id, t] of this.#tickets) if (now - t.issuedAt > TICKET_TTL_MS) this.#tickets.delete(id);
		const id = randomBytes(18).toString('base64url');
		this.#tickets.set(id, { ...ticket, issuedAt: now });
		return id;
	}

	/** The ticket, if it exists and is fresh; it cannot be used again either way. */
	take(id: string, now = Date.now()): SfuTicket | null {
		const ticket = this.#tickets.get(id);
		this.#tickets.delete(id);
		return ticket && now - ticket.issuedAt <= TICKET_TTL_MS ? ticket : null;
	}

	/** Forgets the tickets of people who lost access to a room. */
	revoke(roomId: string, userIds: string[]): void {
		for (const [id, t] of this.#tickets) if (t.roomId === roomId && userIds.includes(t.userId)) this.#tickets.delete(id);
	}
}
