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
