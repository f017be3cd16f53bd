/** What opens beside the call (over it on a phone): the room's chat, the people in the call, or nothing. */
export type SidePanel = 'chat' | 'people' | null;
