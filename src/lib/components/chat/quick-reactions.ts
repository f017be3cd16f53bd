/** The reactions offered at hand, in the message's picker and its action sheet. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'] as const;
