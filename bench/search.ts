// Device search over 100,000 messages: the index the browser builds from its room documents
// (src/lib/search/device-index.ts, the same code; here the documents are built in memory, not read
// from IndexedDB) and queries of several kinds, timed one at a time. p50 and p99 of SAMPLES.
import * as Y from 'yjs';
import { newMessageKey } from '../src/lib/core/chat/message-key.ts';
import { MESSAGES } from '../src/lib/core/chat/schema.ts';
import { queryTerms } from '../src/lib/core/search/search-text.ts';
import { DeviceSearchIndex } from '../src/lib/search/device-index.ts';
import { mulberry32 } from './support/seeded.ts';

const MESSAGES_TOTAL = Number(process.env.MESSAGES ?? 100_000);
const ROOMS = 20;
const SAMPLES = Number(process.env.SAMPLES ?? 500);
const LIMIT = 50;
const WORDS = ['встреча', 'пятница', 'Ольга', 'Иван', 'кофе', 'meeting', 'friday', 'café', 'report', 'deploy', 'lunch', 'tomorrow', 'Привет', 'спасибо', 'погода', 'release', 'bug', 'fix', 'review', 'ticket'];
// Common words (many matches, stops early), rare ones (reads everything), Cyrillic in lower case, nothing.
const QUERIES = ['ольга', 'встреча пятн', 'cafe', 'meeting friday', 'zz9unique', 'rare4242', 'спасибо', 'bug fix review'];

// The people the device knows by name (what a term is also matched against, as mentions of them): some share a word with the messages.
const FIRST = ['Ольга', 'Иван', 'Anna', 'Boris', 'Kate', 'Fix', 'Lunch'];
const PEOPLE: [string, string][] = Array.from({ length: 50 }, (_, i) => [`user${i}`, `${FIRST[i % FIRST.length]} Person${i}`]);

const random = mulberry32(7);
const start = Date.now() - 365 * 86_400_000;
const docs = Array.from({ length: ROOMS }, () => new Y.Doc());
for (let i = 0; i < MESSAGES_TOTAL; i++) {
	const words = Array.from({ length: 4 + Math.floor(random() * 12) }, () => WORDS[Math.floor(random() * WORDS.length)]);
	if (i === 4242) words.push('rare4242');
	// One message in ten mentions someone.
	if (i % 10 === 3) words.push(`<@user${Math.floor(random() * PEOPLE.length)}>`);
	const time = start + Math.floor((i / MESSAGES_TOTAL) * 365 * 86_400_000);
	const key = newMessageKey(`user${i % 50}`, time);
	docs[i % ROOMS].getMap(MESSAGES).set(key, { text: words.join(' '), createdAt: time });
}

const built = performance.now();
const index = new DeviceSearchIndex();
docs.forEach((doc, room) => index.addRoom(`room${room}`, doc.getMap(MESSAGES).entries()));
index.search(['warm'], 1);
const buildMs = performance.now() - built;

// Warmed up first, as a page that searched once is.
const nameOf = (id: string) => PEOPLE.find(([p]) => p === id)?.[1];
const search = (query: string) => index.search(queryTerms(query), LIMIT, () => true, nameOf, PEOPLE);
for (const query of QUERIES) search(query);
const times: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
	const query = QUERIES[i % QUERIES.length];
	const t = performance.now();
	search(query);
	times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const pct = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2));
console.log(JSON.stringify({ name: 'search', messages: index.size, rooms: ROOMS, people: PEOPLE.length, samples: SAMPLES, index_build_ms: Number(buildMs.toFixed(0)), search_p50_ms: pct(0.5), search_p99_ms: pct(0.99), aim_p99_ms: 50 }));
