import { expect, test } from '@playwright/test';
import { startServer } from './support/server.ts';

const isJson = (line: string) => {
	try {
		return typeof JSON.parse(line) === 'object';
	} catch {
		return false;
	}
};

test('./parley start says where Parley runs, in plain words, as the last line before the JSON log', async () => {
	// The checkout is installed and built by now (./parley test did both), so this is the quick start people get the second time.
	const server = await startServer({}, 120_000, ['./parley', 'start']);
	try {
		const lines = server.output().split('\n').filter(Boolean);
		const running = lines.findIndex((line) => /^Parley \S+ is running at /.test(line));
		expect(lines[running], server.output()).toMatch(/^Parley \S+ is running at http:\/\/127\.0\.0\.1:\d+ {2}\(Ctrl\+C to stop\)$/);
		expect(lines[running]).toContain(server.url);
		// Before it: only what ./parley says it is doing; after it: the JSON log, starting with what happened at start.
		expect(lines.slice(0, running).filter((line) => !line.startsWith('parley: '))).toEqual([]);
		const after = lines.slice(running + 1);
		expect(after.length).toBeGreaterThan(0);
		expect(after.filter((line) => !isJson(line))).toEqual([]);
		expect(after.some((line) => line.includes('"server.listening"'))).toBe(true);
		expect((await fetch(server.url + '/healthz')).status).toBe(200);
	} finally {
		await server.stop();
	}
});
