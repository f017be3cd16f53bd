import type { AppContext } from './context.ts';

/** What the admin page shows besides people and rooms: storage, the SFU, TURN, the sign-up mode. */
export async function adminStatus(context: AppContext) {
	const { config } = context;
	return {
		storage: context.admin.storage(),
		sfu: await context.sfuState(),
		turn: { configured: config.ice.turnUrls.length > 0 && config.ice.turnSecret !== undefined, urls: config.ice.turnUrls, stunUrls: config.ice.stunUrls },
		signups: context.signups.mode(),
		mail: context.mailEnabled,
		version: context.version
	};
}

export type AdminStatus = Awaited<ReturnType<typeof adminStatus>>;
