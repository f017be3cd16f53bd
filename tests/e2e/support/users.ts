import { randomUUID } from 'node:crypto';

/** A person who has not signed up yet, unique to the test that makes it. */
export function newPerson(name = 'Ada Lovelace') {
	const id = randomUUID().slice(0, 8);
	return { name: `${name} ${id}`, email: `${id}@parley.test`, password: `correct horse ${id}` };
}
