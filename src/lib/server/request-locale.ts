import { AsyncLocalStorage } from 'node:async_hooks';
import { overwriteServerAsyncLocalStorage } from '../paraglide/runtime.js';
import type { Locale } from '../i18n/locale.ts';

type Store = { locale: Locale; origin?: string; messageCalls?: Set<string> };

// The SvelteKit bundle and the server entry each load their own copy of Paraglide's runtime (and
// of this module): both copies read the one AsyncLocalStorage kept on globalThis, so a message
// made anywhere while a request is handled is in that request's language.
const KEY = Symbol.for('parley.requestLocale');
const holder = globalThis as { [KEY]?: AsyncLocalStorage<Store> };
const storage = (holder[KEY] ??= new AsyncLocalStorage<Store>());
overwriteServerAsyncLocalStorage(storage as never);

/** Runs `work` with every message (`m.…()`) in `locale`. */
export function withLocale<T>(locale: Locale, work: () => T): T {
	return storage.run({ locale, messageCalls: new Set() }, work);
}
