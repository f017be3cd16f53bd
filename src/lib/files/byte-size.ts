/** A size in bytes as people read it, in the interface's language: "0.5 kB", "3.4 kB", "12 MB", "1.2 GB" (powers of 1024; Intl has no short unit for bytes, so the least is kB). */
export function formatBytes(bytes: number, locale?: string): string {
	const units = ['kilobyte', 'megabyte', 'gigabyte'] as const;
	let value = Math.max(0, bytes) / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return new Intl.NumberFormat(locale, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: value >= 10 || value === 0 ? 0 : 1 }).format(value);
}
