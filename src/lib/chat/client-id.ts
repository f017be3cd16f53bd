import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';

/** Client ids a device keeps per document: one per tab open at once, rarely more than a few. */
const POOL_SIZE = 4;

/** An id this device wrote with: where the document ends for it, and the last clock its presence was sent with. */
type Claim = { id: number; clock: number; presence: number };

const poolKey = (name: string) => `parley:clients:${name}`;
const lockName = (name: string, id: number) => `parley-client:${name}:${id}`;

function readPool(name: string): Claim[] {
	try {
		const pool = JSON.parse(localStorage.getItem(poolKey(name)) ?? '[]') as Claim[];
		return Array.isArray(pool) ? pool.filter((c) => Number.isInteger(c?.id) && Number.isInteger(c?.clock) && Number.isInteger(c?.presence)) : [];
	} catch {
		return [];
	}
}

function writePool(name: string, pool: Claim[]): void {
	try {
		localStorage.setItem(poolKey(name), JSON.stringify(pool.slice(-POOL_SIZE)));
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

const stateOf = (doc: Y.Doc, client: number) => Y.getState(doc.store, client);

/**
 * Gives a document a Yjs client id this device used for it before, so that state vectors stay
 * as small as the number of devices rather than growing with every page load. An id is reused
 * only when it is safe: one tab at a time holds it (a Web Lock per document name and id), and
 * the document read from IndexedDB ends exactly where this device last wrote with it (so no
 * change of it can be missing here and be written twice).
 *
 * Presence goes by the same id, and everyone (server and browsers) keeps the clock the last page
 * sent it with, taking a lower one as stale: presence under a reused id resumes after that clock.
 * The caller moves its presence to `doc.clientID` afterwards. Call once the document is loaded,
 * before writing to it; the id is given back when the document is destroyed (or the page closes).
 */
export async function claimClientId(name: string, doc: Y.Doc, awareness: Awareness): Promise<void> {
	if (typeof navigator === 'undefined' || !navigator.locks) return;
	let destroyed = false;
	const onDestroy = () => (destroyed = true);
	doc.on('destroy', onDestroy);
	const pool = readPool(name);
	let claimed: Claim | undefined;
	let release: (() => void) | null = null;
	for (const entry of [...pool]) {
		const held = await tryLock(lockName(name, entry.id));
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
		claimed = { id: doc.clientID, clock: stateOf(doc, doc.clientID), presence: awareness.meta.get(doc.clientID)?.clock ?? 0 };
		release = await tryLock(lockName(name, claimed.id));
		pool.push(claimed);
	}
	doc.off('destroy', onDestroy);
	if (destroyed) return release?.();
	if (doc.clientID !== claimed.id) {
		doc.clientID = claimed.id;
		awareness.meta.set(claimed.id, { clock: claimed.presence, lastUpdated: Date.now() });
	}
	writePool(name, pool);

	let current = claimed;
	const record = () => {
		// Yjs itself moves to a new id when it sees another writer use this one: then it is no longer ours to record.
		if (doc.clientID !== current.id) return;
		const presence = awareness.clientID === current.id ? (awareness.meta.get(current.id)?.clock ?? current.presence) : current.presence;
		current = { id: current.id, clock: stateOf(doc, current.id), presence };
		writePool(name, [...readPool(name).filter((c) => c.id !== current.id), current]);
	};
	const onTransaction = (transaction: Y.Transaction) => {
		if (transaction.local) record();
	};
	const onPresence = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
		if ([...added, ...updated, ...removed].includes(current.id)) record();
	};
	doc.on('afterTransaction', onTransaction);
	awareness.on('update', onPresence);
	doc.once('destroy', () => {
		doc.off('afterTransaction', onTransaction);
		awareness.off('update', onPresence);
		release?.();
	});
}
