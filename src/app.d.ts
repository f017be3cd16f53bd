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
			/** Set when a room's page is refused (see RoomRefusal): the error page says why. */
			room?: import('#lib/rooms/types.ts').RoomRefusal;
		}
	}
}

export {};
