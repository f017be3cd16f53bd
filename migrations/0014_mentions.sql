-- Who each message mentions (sync/message-index.ts writes it with chat_message): the lobby counts
-- the mentions of a person apart from their other unread messages, without loading documents.
create table "chat_mention" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"key" text not null,
	"userId" text not null,
	"createdAt" integer not null,
	primary key ("roomId", "key", "userId")
) without rowid;

create index "chat_mention_user_idx" on "chat_mention" ("userId", "roomId", "createdAt");

-- What a member hears of a room by push: every message (as their devices' message notifications
-- say), only mentions of them, or nothing.
alter table "room_member" add column "notify" text not null default 'all' check ("notify" in ('all', 'mentions', 'none'));
