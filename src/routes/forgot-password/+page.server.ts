import { getContext } from '#lib/server/context.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ mail: getContext().mailEnabled });
