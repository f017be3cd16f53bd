import { describe, expect, it } from 'vitest';
import { SfuTickets, TICKET_TTL_MS } from './sfu-tickets.ts';

describe('SFU tickets', () => {
	const who = { userId: 'ann', roomId: 'r1', janusRoom: 7 };

	it('opens one connection, once, while fresh', () => {
		const tickets = new SfuTickets();
		const id = tickets.issue(who, 1000);
		expect(tickets.take(id, 2000)).toMatchObject(who);
		expect(tickets.take(id, 2000)).toBeNull();
		expect(tickets.take(tickets.issue(who, 1000), 1000 + TICKET_TTL_MS + 1)).toBeNull();
		expect(tickets.take('made-up')).toBeNull();
	});

	it('is void once its person loses access to the room', () => {
		const tickets = new SfuTickets();
		const id = tickets.issue(who);
		const other = tickets.issue({ ...who, userId: 'bob' });
		tickets.revoke('r1', ['ann']);
		expect(tickets.take(id)).toBeNull();
		expect(tickets.take(other)).toMatchObject({ userId: 'bob' });
	});
});
