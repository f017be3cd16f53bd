import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLevel } from './config.ts';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;
export type Logger = {
	debug(event: string, fields?: Fields): void;
	info(event: string, fields?: Fields): void;
	warn(event: string, fields?: Fields): void;
	error(event: string, fields?: Fields): void;
};

/** One JSON line per event on stdout: `{"time","level","event",...fields}`. Never pass message text or secrets. */
export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
	const emit = (at: LogLevel) => (event: string, fields: Fields = {}) => {
		if (ORDER[at] < ORDER[level]) return;
		const extra = Object.fromEntries(
			Object.entries(fields).map(([k, v]) => [k, v instanceof Error ? { message: v.message, stack: v.stack } : v])
		);
		write(JSON.stringify({ time: new Date().toISOString(), level: at, event, ...extra }));
	};
	return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/**
 * Where the server's log lines go: stdout, or appended to `file`. Lines are held until `release()`
 * (the server calls it once it listens, after saying where to go in plain words), so that the
 * plain line is the last one before the JSON; the rest are written as they come, synchronously,
 * so nothing is lost when the process ends. Lines still held when the process exits are written then.
 */
export function logOutput(file?: string): { write(line: string): void; release(): void } {
	let fd = 1;
	if (file) {
		mkdirSync(dirname(file), { recursive: true });
		fd = openSync(file, 'a');
	}
	let held: string[] | null = [];
	const out = (line: string) => writeSync(fd, line + '\n');
	const release = () => {
		if (!held) return;
		const lines = held;
		held = null;
		for (const line of lines) out(line);
	};
	process.once('exit', () => {
		release();
		if (fd !== 1) closeSync(fd);
	});
	return { write: (line) => (held ? held.push(line) : out(line)), release };
}
