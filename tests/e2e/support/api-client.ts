import { newPerson } from './users.ts';

export type Person = ReturnType<typeof newPerson> & { id: string; cookie: string };

/** Signs a new person up over the API and keeps their session cookie. */
export async function signUpPerson(baseURL: string, name?: string): Promise<Person> {
	const person = newPerson(name);
	const res = await fetch(`${baseURL}/api/auth/sign-up/email`, {
		method: 'POST',
		// Node's fetch marks itself as a browser CORS request, so it must say where it comes from, as a browser would.
		headers: { 'content-type': 'application/json', origin: baseURL },
		body: JSON.stringify(person)
	});
	if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
	const cookie = res.headers.getSetCookie().find((c) => c.includes('session_token='))!.split(';')[0];
	const { user } = (await res.json()) as { user: { id: string } };
	return { ...person, id: user.id, cookie };
}

/** Calls Parley's JSON API as `who` (or signed out) and returns the status and parsed body. */
export async function call<T = unknown>(baseURL: string, who: Person | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
	const headers: Record<string, string> = { origin: baseURL };
	if (who) headers.cookie = who.cookie;
	// Bytes (a picture) go as they are; anything else as JSON.
	const raw = body instanceof Uint8Array;
	if (body !== undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
	const controller = new AbortController();
	const res = await fetch(`${baseURL}${path}`, { method, headers, body: body === undefined ? undefined : raw ? new Uint8Array(body) : JSON.stringify(body), signal: controller.signal });
	if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
		controller.abort();
		return { status: res.status, body: null as T };
	}
	// A file download answers bytes, not JSON.
	if (!res.headers.get('content-type')?.includes('json')) return { status: res.status, body: (await res.arrayBuffer(), null) as T };
	const text = await res.text();
	return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Creates a group room as `owner` with these people in it: each accepts their invitation. */
export async function createRoomWithMembers(baseURL: string, owner: Person, name: string, members: Person[]): Promise<{ id: string }> {
	const room = await call<{ id: string }>(baseURL, owner, 'POST', '/api/rooms', { name, memberIds: members.map((p) => p.id) });
	if (room.status !== 201) throw new Error(`creating room ${name} failed: ${room.status}`);
	for (const member of members) {
		const accepted = await call(baseURL, member, 'POST', `/api/invitations/${room.body.id}`);
		if (accepted.status !== 200) throw new Error(`${member.name} could not accept the invitation: ${accepted.status}`);
	}
	return room.body;
}
