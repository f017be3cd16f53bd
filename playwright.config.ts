import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/e2e/support/chromium.ts';

const BIG_CALLS = [/\/call\.spec\.ts$/, /\/sfu-call\.spec\.ts$/];

export default defineConfig({
	testDir: 'tests/e2e',
	globalSetup: './tests/e2e/support/global-setup.ts',
	fullyParallel: true,
	workers: process.env.CI ? 2 : undefined,
	retries: 0,
	// Bounds that hold on a slow two-core machine with two browsers busy: waits end when their condition holds.
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
	use: {
		baseURL: process.env.PARLEY_BASE_URL,
		// Traces keep DOM snapshots but no screencast: encoding every page's frames took the CPU that the tests' calls need
		// (two call tests side by side took 3.1 min with it, 1.0 min without); a failure still keeps a screenshot.
		trace: { mode: 'retain-on-failure', screenshots: false },
		screenshot: 'only-on-failure',
		launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }
	},
	projects: [
		{ name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined }, testIgnore: BIG_CALLS },
		// Calls of four to six browsers saturate two cores: they run last, one at a time, with nothing beside them.
		{ name: 'big-calls', use: { ...devices['Desktop Chrome'], channel: undefined }, testMatch: BIG_CALLS, workers: 1, dependencies: ['desktop', 'phone'] },
		{ name: 'phone', use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, grep: /@phone/ }
	]
});
