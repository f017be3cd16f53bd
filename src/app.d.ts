// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Locals {
			user: { id: string; name: string; email: string } | null;
			sessionId: string | null;
			locale: import('#lib/i18n/locale.ts').Locale;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
