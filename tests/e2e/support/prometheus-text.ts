const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.]+(?:e[+-]?\d+)?|[Nn]a[Nn]|[+-]Inf)$/;
// prom-client writes an empty event-loop histogram's mean as `Nan`; Prometheus reads NaN in any case.

/** Reads Prometheus' text format into `name{labels}` → value; throws on a line that is not a comment, blank or sample. */
export function parsePrometheus(text: string): Map<string, number> {
	const samples = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
		const match = SAMPLE.exec(line);
		if (!match) throw new Error(`not Prometheus text format: ${JSON.stringify(line)}`);
		samples.set(match[1] + (match[2] ?? ''), /^nan$/i.test(match[3]) ? NaN : Number(match[3]));
	}
	return samples;
}
