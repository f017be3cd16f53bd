-- Full-text search over message text. `chat_search_text` holds each message's text (for snippets)
-- and `chat_search` its words, folded by the app (src/lib/core/search/search-text.ts) so that the
-- server matches exactly as the device does; unicode61 folds whatever the app left.
-- Rows are written by the sync service (sync/message-index.ts), which also fills a room's rows
-- when the room is next loaded: SQL alone cannot read the Yjs documents to backfill.
create table "chat_search_text" (
	"id" integer primary key,
	"roomId" text not null references "room" ("id") on delete cascade,
	"key" text not null,
	"authorId" text not null,
	"createdAt" integer not null,
	"text" text not null,
	unique ("roomId", "key")
);

create index "chat_search_text_room_time_idx" on "chat_search_text" ("roomId", "createdAt");

create virtual table "chat_search" using fts5 ("words", content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');

-- A deleted room's texts go with it (cascade); their words must go too.
create trigger "chat_search_text_deleted" after delete on "chat_search_text" begin
	delete from "chat_search" where rowid = old."id";
end;
