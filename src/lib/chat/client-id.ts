import * as Y from 'yjs';

/** Client ids a device keeps per room: one per tab open at once, rarely more than a few. */
const POOL_SIZE = 4;

type Claim = { id: number; clock: number };

const poolKey = (roomId: string) => `parley:clients:${roomId}`;
const lockName = (roomId: string, id: number) => `parley-client:${roomId}:${id}`;

function readPool(roomId: string): Claim[] {
	try {
		const pool = JSON.parse(localStorage.getItem(poolKey(roomId)) ?? '[]') as Claim[];
		return Array.isArray(pool) ? pool.filter((c) => Number.isInteger(c?.id) && Number.isInteger(c?.clock)) : [];
	} catch {
		return [];
	}
}

function writePool(roomId: string, pool: Claim[]): void {
	try {
		localStorage.setItem(poolKey(roomId), JSON.stringify(pool.slice(-POOL_SIZE)));
	} catch {
		// storage full or refused: the next load picks a new id, which is always safe
	}
}

/** Holds a Web Lock until the returned function is called; null when another tab holds it. */
function tryLock(name: string): Promise<(() => void) | null> {
	return new Promise((resolve) => {
		navigator.locks
			.request(name, { ifAvailable: true }, (lock) => {
				if (!lock) return resolve(null);
				return new Promise<void>((release) => resolve(() => release()));
			})
			.catch(() => resolve(null));
	});
}

const stateOf = (doc: Y.Doc, client: number) => Y.decodeStateVector(Y.encodeStateVector(doc)).get(client) ?? 0;

/**
 * Gives the room's document a Yjs client id this device used before, so that state vectors
 * stay as small as the number of devices rather than growing with every page load. An id is
 * reused only when it is safe: one tab at a time holds it (a Web Lock), and the document read
 * from IndexedDB ends exactly where this device last wrote with it (so no change of it can be
 * missing here and be written twice). Call after the document is loaded, before writing to it.
 * Returns the function that gives the id back (when the page closes, the lock goes by itself).
 */
export async function claimClientId(roomId: string, doc: Y.Doc): Promise<() => void> {
	if (typeof navigator === 'undefined' || !navigator.locks) return () => {};
	const pool = readPool(roomId);
	let claimed: Claim | undefined;
	let release: (() => void) | null = null;
	for (const entry of [...pool]) {
		const held = await tryLock(lockName(roomId, entry.id));
		if (!held) continue;
		if (stateOf(doc, entry.id) === entry.clock) {
			claimed = entry;
			release = held;
			break;
		}
		// This device's copy does not end where it last wrote: the id is not safe to write with again.
		pool.splice(pool.indexOf(entry), 1);
		held();
	}
	if (!claimed) {
		claimed = { id: doc.clientID, clock: stateOf(doc, doc.clientID) };
		release = await tryLock(lockName(roomId, claimed.id));
		pool.push(claimed);
	} else doc.clientID = claimed.id;
	writePool(roomId, pool);

	const id = claimed.id;
	const record = (transaction: Y.Transaction) => {
		// Yjs itself moves to a new id when it sees another writer use this one: then it is no longer ours to record.
		if (!transaction.local || doc.clientID !== id) return;
		const clock = stateOf(doc, id);
		const current = readPool(roomId).filter((c) => c.id !== id);
		writePool(roomId, [...current, { id, clock }]);
	};
	doc.on('afterTransaction', record);
	return () => {
		doc.off('afterTransaction', record);
		release?.();
	};
}
