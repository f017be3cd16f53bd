// Registers the browser's locale strategy before anything renders a message.
import '#lib/i18n/locale.svelte.ts';
