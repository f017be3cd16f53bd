import * as Y from 'yjs';
import { parseMessageKey, parseReactionKey } from './message-key.ts';
import { mentionsProblem } from './mentions.ts';
import { periodOfEntry, type Period } from './period.ts';
import { MAX_CLOCK_SKEW_MS, MAX_EMOJI_LENGTH, MAX_UPDATE_BYTES, MESSAGES, messageValue, REACTIONS, reactionValue, ROOTS, type Attachment } from './schema.ts';

/** Where a piece of the document lives: a key of one of the root maps, or somewhere not allowed. */
export type Place = { root: string; key: string } | { gc: true } | { invalid: string };

/** What the validator needs to know about the document the update would be applied to. */
export type DocumentView = {
	/** The struct holding (client, clock), or undefined when the document does not have it. */
	placeAt(client: number, clock: number): { place: Place; end: number; deleted: boolean } | undefined;
	/** The next clock the document expects from a client (0 when it has nothing from it). */
	stateOf(client: number): number;
};

export type UpdateContext = {
	userId: string;
	/** Owners and admins may delete anyone's messages and reactions. */
	canModerate: boolean;
	now: number;
	/**
	 * The earliest time a new message may carry: when the sender joined the room (less the
	 * allowed clock skew). Offline writes from after joining stay valid; backdating does not.
	 */
	notBefore: number;
	doc: DocumentView;
	/** The user a Yjs client id is bound to, if any: nobody may write as another person's client. */
	clientOwner(client: number): string | undefined;
	/**
	 * What the server knows of a file of this room a message attaches, by id: undefined when the
	 * room has no such file (a file of another room reads as missing). Without it, files are refused.
	 */
	fileRecord?(id: string): StoredFile | undefined;
	/** Whether a person is a member of the room now: only members can be mentioned. Without it, mentions are refused. */
	isMember?(userId: string): boolean;
	/**
	 * Which entries this document holds (see period.ts): any when undefined (a room whose history is
	 * one document), only those of one period for a period's document, none (null) for the main
	 * document of a room split by period.
	 */
	period?: Period | null;
};

/** The server's record of an uploaded file, as far as the rules need it. */
export type StoredFile = {
	uploaderId: string;
	hash: string;
	size: number;
	type: string;
	name: string;
	width: number | null;
	height: number | null;
	thumbHash: string | null;
	/** The message the file is attached to, once one was accepted. */
	messageKey: string | null;
};

/** A file an accepted update attaches to a message (the server records it with the update). */
export type FileClaim = { fileId: string; messageKey: string };

/**
 * On success: the clients the update writes as, whether it changes anything the document lacks,
 * and the files its messages attach.
 */
export type Verdict = { ok: true; clients: number[]; changes: boolean; claims: FileClaim[] } | { ok: false; reason: string };

const fail = (reason: string): Verdict => ({ ok: false, reason });

/**
 * Checks a Yjs update against the room document's rules without applying it:
 * new items only under the sender's own keys in the known root maps, plain JSON values
 * that pass the schema, deletions only of the sender's own items (or any, for moderators).
 * The server runs it on every update before applying it.
 */
export function validateUpdate(update: Uint8Array, ctx: UpdateContext): Verdict {
	if (update.byteLength > MAX_UPDATE_BYTES) return fail(`the update is ${update.byteLength} bytes; the limit is ${MAX_UPDATE_BYTES} bytes`);
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch {
		return fail('the update is not a valid Yjs update');
	}

	const clients = new Set<number>();
	const own = new Map<number, (Y.Item | Y.GC)[]>();
	for (const struct of decoded.structs) {
		const client = struct.id.client;
		const owner = ctx.clientOwner(client);
		const known = ctx.doc.stateOf(client);
		// Structs the document already has are skipped when applied: harmless, whoever sends them.
		if (struct.id.clock + struct.length <= known) continue;
		if (owner !== undefined && owner !== ctx.userId) return fail(`client id ${client} belongs to another person`);
		if (struct instanceof Y.Skip) return fail('the update has gaps; sync first');
		if (!own.has(client) && struct.id.clock > known) return fail('the update is missing earlier changes; sync first');
		clients.add(client);
		const list = own.get(client) ?? [];
		list.push(struct);
		own.set(client, list);
	}

	const findInUpdate = (client: number, clock: number) =>
		own.get(client)?.find((s) => s.id.clock <= clock && clock < s.id.clock + s.length);

	const resolving = new Set<Y.Item>();
	const places = new Map<Y.Item, Place>();
	const placeOf = (item: Y.Item): Place => {
		const known = places.get(item);
		if (known) return known;
		if (resolving.has(item)) return { invalid: 'the update is circular' };
		resolving.add(item);
		const place = resolvePlace(item);
		places.set(item, place);
		return place;
	};
	const placeAtId = (id: Y.ID): Place => {
		const inUpdate = findInUpdate(id.client, id.clock);
		if (inUpdate) return inUpdate instanceof Y.Item ? placeOf(inUpdate) : { gc: true };
		return ctx.doc.placeAt(id.client, id.clock)?.place ?? { invalid: 'the update refers to content the server does not have; sync first' };
	};
	const resolvePlace = (item: Y.Item): Place => {
		// Yjs integrates a client's structs in clock order: a neighbour written later by the same client does not exist yet.
		for (const neighbour of [item.origin, item.rightOrigin]) {
			if (neighbour && neighbour.client === item.id.client && neighbour.clock >= item.id.clock) return { invalid: 'an item refers to a later change of its own client' };
		}
		const parent = item.parent as unknown;
		if (typeof parent === 'string') {
			if (item.parentSub === null) return { invalid: `"${parent}" must be used as a map` };
			return { root: parent, key: item.parentSub };
		}
		if (parent !== null) return { invalid: 'nested Yjs types are not allowed' };
		const neighbour = item.origin ?? item.rightOrigin;
		if (!neighbour) return { invalid: 'an item has no parent' };
		return placeAtId(neighbour);
	};

	const claims = new Map<string, FileClaim>();
	for (const structs of own.values()) {
		for (const struct of structs) {
			if (!(struct instanceof Y.Item)) continue;
			const place = placeOf(struct);
			if ('invalid' in place) return fail(place.invalid);
			if ('gc' in place) return fail('an item was placed next to removed content');
			const problem = checkNewItem(struct, place, ctx) ?? checkFiles(struct, place, ctx, claims);
			if (problem) return fail(problem);
		}
	}

	let newDeletions = false;
	for (const [client, ranges] of decoded.ds.clients) {
		for (const range of ranges) {
			for (let clock = range.clock; clock < range.clock + range.len; ) {
				const inUpdate = findInUpdate(client, clock);
				let place: Place;
				let end: number;
				let alreadyDeleted = false;
				if (inUpdate) {
					place = inUpdate instanceof Y.Item ? placeOf(inUpdate) : { gc: true };
					end = inUpdate.id.clock + inUpdate.length;
				} else {
					const found = ctx.doc.placeAt(client, clock);
					if (!found) return fail('the update deletes content the server does not have');
					({ place, end } = found);
					alreadyDeleted = found.deleted;
				}
				// Updates carry the sender's whole delete set: deletions the document already has change nothing.
				if (!alreadyDeleted) newDeletions = true;
				const problem = alreadyDeleted ? null : checkDeletion(place, ctx);
				if (problem) return fail(problem);
				clock = end;
			}
		}
	}
	return { ok: true, clients: [...clients], changes: clients.size > 0 || newDeletions, claims: [...claims.values()] };
}

function checkNewItem(item: Y.Item, place: { root: string; key: string }, ctx: UpdateContext): string | null {
	if (!(ROOTS as readonly string[]).includes(place.root)) return `unknown part of the document "${place.root}"`;
	if (ctx.period === null) return 'messages and reactions go to the document of their month, not the room\'s main one';
	const period = ctx.period === undefined ? null : periodOfEntry(place.root, place.key);
	if (period !== null && period !== ctx.period) return `"${place.key}" belongs to the document of another month than ${ctx.period}`;
	const content = item.content;
	if (content instanceof Y.ContentDeleted) return checkOwnership(place, ctx, false);
	if (content instanceof Y.ContentType) return 'nested Yjs types are not allowed';
	if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) return 'values must be plain JSON';
	return entryProblem(place.root, place.key, content.arr[0], ctx);
}

/** Who is writing, and when: what the rules for one entry need. */
export type WriteContext = Pick<UpdateContext, 'userId' | 'now' | 'notBefore' | 'isMember'>;

/**
 * The rules for one entry of the room document (a message or a reaction, under its key):
 * null when it may be written, else why not. The server applies them to every item of every
 * update; the browser applies them before it writes, so what it sends is what the server takes.
 */
export function entryProblem(root: string, rawKey: string, value: unknown, ctx: WriteContext): string | null {
	if (root === MESSAGES) {
		const key = parseMessageKey(rawKey);
		if (!key) return `"${rawKey}" is not a message key (<authorId>:<ulid>)`;
		if (key.authorId !== ctx.userId) return 'you can only write messages under your own user id';
		if (key.time > ctx.now + MAX_CLOCK_SKEW_MS) return 'the message is dated more than 5 minutes in the future';
		if (key.time < ctx.notBefore) return 'the message is dated before you joined this room';
		const parsed = messageValue.safeParse(value);
		if (!parsed.success) return `invalid message: ${parsed.error.issues[0].message} (${parsed.error.issues[0].path.join('.') || 'value'})`;
		if (parsed.data.createdAt !== key.time) return 'createdAt must be the time in the message key';
		if (parsed.data.editedAt !== undefined && parsed.data.editedAt > ctx.now + MAX_CLOCK_SKEW_MS) return 'the edit is dated more than 5 minutes in the future';
		if (parsed.data.replyTo !== undefined && !parseMessageKey(parsed.data.replyTo)) return 'replyTo must be a message key';
		return mentionsProblem(parsed.data.text, parsed.data.mentions, ctx.isMember);
	}
	if (root !== REACTIONS) return `unknown part of the document "${root}"`;
	const key = parseReactionKey(rawKey);
	if (!key) return `"${rawKey}" is not a reaction key (<messageKey>|<userId>|<emoji>)`;
	if (key.userId !== ctx.userId) return 'you can only react as yourself';
	if ([...key.emoji].length > MAX_EMOJI_LENGTH) return 'the reaction is too long';
	const parsed = reactionValue.safeParse(value);
	if (!parsed.success) return 'invalid reaction value';
	return null;
}

/**
 * The files a new message value attaches: each must be a file the sender uploaded to this room,
 * described as the server stored it, and attached to no other message (also within this update).
 */
function checkFiles(item: Y.Item, place: { root: string; key: string }, ctx: UpdateContext, claims: Map<string, FileClaim>): string | null {
	if (place.root !== MESSAGES || !(item.content instanceof Y.ContentAny)) return null;
	const files = (item.content.arr[0] as { files?: Attachment[] }).files;
	if (!files) return null;
	for (const file of files) {
		const record = ctx.fileRecord?.(file.id);
		if (!record) return 'the message attaches a file the server does not have';
		const problem = attachmentProblem(file, record, place.key, ctx.userId);
		if (problem) return problem;
		const earlier = claims.get(file.id);
		if (earlier && earlier.messageKey !== place.key) return 'a file can be attached to one message only';
		claims.set(file.id, { fileId: file.id, messageKey: place.key });
	}
	return null;
}

/** Why an attachment may not be written as it is (null when it may): the rules of checkFiles for one file. */
export function attachmentProblem(file: Attachment, record: StoredFile, messageKey: string, userId: string): string | null {
	if (record.uploaderId !== userId) return 'you can only attach files you uploaded';
	if (record.messageKey !== null && record.messageKey !== messageKey) return 'a file can be attached to one message only';
	const same =
		file.hash === record.hash &&
		file.size === record.size &&
		file.type === record.type &&
		file.name === record.name &&
		(file.width ?? null) === record.width &&
		(file.height ?? null) === record.height &&
		(file.thumb === true) === (record.thumbHash !== null);
	if (!same) return 'the attachment does not match the stored file';
	if (file.voice && !/^(audio|video)\/(webm|ogg|mpeg|mp4)$/.test(record.type)) return 'a voice message must be audio';
	return null;
}

function checkOwnership(place: { root: string; key: string }, ctx: UpdateContext, deleting: boolean): string | null {
	const author = place.root === MESSAGES ? parseMessageKey(place.key)?.authorId : place.root === REACTIONS ? parseReactionKey(place.key)?.userId : undefined;
	if (author === ctx.userId || (deleting && ctx.canModerate)) return null;
	return deleting ? "you can only delete your own messages and reactions" : 'you can only write under your own user id';
}

function checkDeletion(place: Place, ctx: UpdateContext): string | null {
	if ('gc' in place) return null;
	if ('invalid' in place) return place.invalid;
	if (!(ROOTS as readonly string[]).includes(place.root)) return `unknown part of the document "${place.root}"`;
	if (ctx.period === null) return 'messages and reactions go to the document of their month, not the room\'s main one';
	const period = ctx.period === undefined ? null : periodOfEntry(place.root, place.key);
	if (period !== null && period !== ctx.period) return `"${place.key}" belongs to the document of another month than ${ctx.period}`;
	return checkOwnership(place, ctx, true);
}

/** A DocumentView over a live Y.Doc (the server's copy of a room). */
export function viewOf(doc: Y.Doc): DocumentView {
	return {
		stateOf(client) {
			const structs = doc.store.clients.get(client);
			const last = structs?.[structs.length - 1];
			return last ? last.id.clock + last.length : 0;
		},
		placeAt(client, clock) {
			const structs = doc.store.clients.get(client);
			if (!structs?.length) return undefined;
			const last = structs[structs.length - 1];
			if (clock >= last.id.clock + last.length) return undefined;
			const struct = structs[Y.findIndexSS(structs, clock)];
			const end = struct.id.clock + struct.length;
			if (!(struct instanceof Y.Item)) return { place: { gc: true }, end, deleted: true };
			const deleted = struct.deleted;
			const parent = struct.parent as Y.AbstractType<unknown> | null;
			if (!parent || parent._item !== null) return { place: { invalid: 'nested Yjs types are not allowed' }, end, deleted };
			let root: string | undefined;
			for (const [name, type] of doc.share) if (type === parent) root = name;
			if (root === undefined || struct.parentSub === null) return { place: { invalid: 'the document has content outside its maps' }, end, deleted };
			return { place: { root, key: struct.parentSub }, end, deleted };
		}
	};
}
