import { z } from 'zod';
import { api, noContent } from '#lib/server/api-handler.ts';
import { readJsonBody } from '#lib/server/json-body.ts';
import { LOCALES } from '#lib/i18n/locale.ts';

const localeBody = z.object({ locale: z.enum(LOCALES) });

/** Remembers the language for this account, on every device it signs in on. */
export const PUT = api(async ({ event, user, context }) => {
	const { locale } = await readJsonBody(event.request, localeBody);
	context.db.prepare('update user set locale = ? where id = ?').run(locale, user.id);
	return noContent();
});
