/**
 * Names the device search shows, kept on this device (localStorage, cleared at sign-out with
 * the rest of `parley:`): room names, people's names, and which rooms the person was last
 * known to be a member of, so a room left since is not searched on the device either.
 */
const KEY = 'parley:search-names';

export type SearchNames = { rooms: Record<string, string>; people: Record<string, string>; memberOf: string[] | null };

export function readNames(): SearchNames {
	try {
		const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<SearchNames>;
		return { rooms: stored.rooms ?? {}, people: stored.people ?? {}, memberOf: stored.memberOf ?? null };
	} catch {
		return { rooms: {}, people: {}, memberOf: null };
	}
}

function write(names: SearchNames): void {
	try {
		localStorage.setItem(KEY, JSON.stringify(names));
	} catch {
		// Storage full or refused: the names are a convenience.
	}
}

/** Remembers room names; `all` when the list is every room the person is a member of now. */
export function rememberRooms(rooms: readonly { id: string; name: string }[], all: boolean): void {
	const names = readNames();
	for (const room of rooms) names.rooms[room.id] = room.name;
	if (all) names.memberOf = rooms.map((room) => room.id);
	write(names);
}

export function rememberPeople(people: readonly { userId: string; name: string }[]): void {
	const names = readNames();
	for (const person of people) names.people[person.userId] = person.name;
	write(names);
}
