import { createTransport } from 'nodemailer';
import type { Logger } from './log.ts';
import { BASE_LOCALE, isLocale, type Locale } from '../i18n/locale.ts';
import { m } from '../paraglide/messages.js';

export type Mailer = {
	/** Sends a reset-password link, in the person's language. */
	sendReset(to: { email: string; name: string; locale?: string | null }, url: string): Promise<void>;
};

/** Outgoing mail through SMTP_URL (nodemailer). A failure is logged; the person sees the same answer either way. */
export function createMailer(options: { smtpUrl: string; from: string; log: Logger }): Mailer {
	const transport = createTransport(options.smtpUrl);
	return {
		async sendReset(to, url) {
			const locale: Locale = to.locale && isLocale(to.locale) ? to.locale : BASE_LOCALE;
			try {
				await transport.sendMail({
					from: options.from,
					to: to.email,
					subject: m.mail_reset_subject({}, { locale }),
					text: m.mail_reset_text({ name: to.name, url }, { locale })
				});
				options.log.info('mail.sent', { kind: 'reset-password' });
			} catch (error) {
				options.log.error('mail.failed', { kind: 'reset-password', error });
			}
		}
	};
}
