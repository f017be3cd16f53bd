import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { call, signUpPerson, type Person } from './support/api-client.ts';
import { createRoomWith, joinCall, signUpInBrowser } from './support/ui.ts';

/** A member's own client, scripted: on the room's awareness it claims to be in the call under someone else's name. */
function impostor(baseURL: string, roomId: string, who: Person, claimedName: string) {
	const Socket = class extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers: { cookie: who.cookie } });
		}
	};
	const provider = new WebsocketProvider(`${baseURL.replace(/^http/, 'ws')}/sync`, roomId, new Y.Doc(), { WebSocketPolyfill: Socket as never, disableBc: true });
	provider.awareness.setLocalState({
		user: { id: who.id, name: claimedName },
		call: { peerId: `p${'0'.repeat(32)}`, joinedAt: Date.now(), audio: true, video: true, screen: false, device: 'desktop', route: 'mesh' }
	});
	return () => provider.destroy();
}

test('a participant is named by their account, not by the name they claim on awareness', async ({ browser, baseURL }) => {
	const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
	const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
	const ann = await signUpInBrowser(a, 'Ann');
	const bob = await signUpInBrowser(b, 'Bob');
	const mallory = await signUpPerson(baseURL!, 'Mallory');
	const roomId = await createRoomWith(a, 'Names', [bob]);
	// Mallory is added over the API and accepts there.
	expect((await a.request.post(`/api/rooms/${roomId}/members`, { data: { userId: mallory.id } })).status()).toBe(201);
	expect((await call(baseURL!, mallory, 'POST', `/api/invitations/${roomId}`)).status).toBe(200);
	await b.goto(a.url());
	await joinCall(a);
	// Mallory, a member, says on awareness that she is Bob.
	const stop = impostor(baseURL!, roomId, mallory, bob.name);
	try {
		// Bob, not in the call, is told who is: Ann and Mallory, never himself.
		await expect(b.getByText(`In the call: ${ann.name}, ${mallory.name}`)).toBeVisible({ timeout: 15_000 });
		await expect(b.getByText(new RegExp(`In the call:.*${bob.name}`))).toHaveCount(0);
		// Ann's tile for her is named Mallory; no tile claims to be Bob.
		const tiles = a.getByRole('list', { name: 'Participants' }).getByRole('listitem');
		await expect(tiles.filter({ hasText: mallory.name })).toHaveCount(1, { timeout: 15_000 });
		await expect(tiles.filter({ hasText: bob.name })).toHaveCount(0);
		await expect(a.getByRole('list', { name: 'Participants' }).getByRole('listitem', { name: bob.name })).toHaveCount(0);
	} finally {
		stop();
		await Promise.all(contexts.map((c) => c.close()));
	}
});
