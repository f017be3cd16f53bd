import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { newMessageKey, parseMessageKey } from '../../src/lib/core/chat/message-key.ts';
import { MESSAGES } from '../../src/lib/core/chat/schema.ts';
import { connect, liveDocument, waitFor } from '../../sync/test-harness.ts';
import { createRoomWithMembers, signUpPerson } from './support/api-client.ts';
import { startServer } from './support/server.ts';

test('SIGKILL during a burst loses nothing any client had received from the server', async () => {
	test.setTimeout(60_000);
	const server = await startServer();
	const people = await Promise.all(['Ann', 'Ben', 'Cal', 'Dot'].map((n) => signUpPerson(server.url, n)));
	const room = { body: await createRoomWithMembers(server.url, people[0], 'Crash', people.slice(1)) };
	const wsUrl = server.url.replace('http', 'ws') + '/sync';
	const clients = people.map((p) => ({ person: p, ...connect(wsUrl, liveDocument(room.body.id), { id: p.id, name: p.name, cookie: p.cookie }) }));
	await waitFor(() => clients.every((c) => c.provider.synced), 10_000, 'sync');

	// Everyone writes as fast as they can; the server is killed in the middle of it.
	let sent = 0;
	const burst = setInterval(() => {
		for (const c of clients) {
			const key = newMessageKey(c.person.id);
			c.doc.getMap(MESSAGES).set(key, { text: `burst ${sent++}`, createdAt: parseMessageKey(key)!.time });
		}
	}, 2);
	await new Promise((r) => setTimeout(r, 700));
	server.process.kill('SIGKILL');
	await server.stop();
	clearInterval(burst);

	// What each client got from the server: the messages of the others in its document.
	const received = new Set<string>();
	for (const c of clients) for (const key of c.doc.getMap(MESSAGES).keys()) if (!key.startsWith(c.person.id + ':')) received.add(key);
	for (const c of clients) c.provider.destroy();
	expect(received.size).toBeGreaterThan(20);

	const restarted = await startServer({ DATA_DIR: server.dataDir });
	const check = connect(restarted.url.replace('http', 'ws') + '/sync', liveDocument(room.body.id), { id: people[0].id, name: 'Ann', cookie: people[0].cookie }, new Y.Doc());
	await waitFor(() => check.provider.synced, 10_000, 'sync after restart');
	const stored = new Set(check.doc.getMap(MESSAGES).keys());
	const missing = [...received].filter((key) => !stored.has(key));
	expect(missing).toEqual([]);
	check.provider.destroy();
	await restarted.stop();
});
