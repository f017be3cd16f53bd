/** What a person recognises a signed-in device by: its browser and operating system, read from the User-Agent. */
export type Device = { browser: string | null; os: string | null };

// Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
	[/\bEdg(?:e|A|iOS)?\//, 'Edge'],
	[/\b(?:OPR|Opera)\//, 'Opera'],
	[/\bSamsungBrowser\//, 'Samsung Internet'],
	[/\bYaBrowser\//, 'Yandex Browser'],
	[/\bVivaldi\//, 'Vivaldi'],
	[/\b(?:Firefox|FxiOS)\//, 'Firefox'],
	[/\b(?:Chrome|CriOS|Chromium)\//, 'Chrome'],
	[/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
	[/\bHeadlessChrome\//, 'Chrome']
];

const SYSTEMS: [RegExp, string][] = [
	[/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
	[/\bAndroid\b/, 'Android'],
	[/\bCrOS\b/, 'ChromeOS'],
	[/\bWindows\b/, 'Windows'],
	[/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
	[/\bLinux\b/, 'Linux']
];

const first = (ua: string, table: [RegExp, string][]) => table.find(([pattern]) => pattern.test(ua))?.[1] ?? null;

export function readDevice(userAgent: string | null | undefined): Device {
	const ua = userAgent ?? '';
	return { browser: first(ua, BROWSERS), os: first(ua, SYSTEMS) };
}

/** A signed-in device as the account page shows it (never its session token). Times in ms. */
export type SignedInDevice = Device & { id: string; current: boolean; signedInAt: number; lastActiveAt: number };
