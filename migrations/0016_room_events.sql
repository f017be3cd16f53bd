-- What happened in a room besides its messages, for its timeline (src/lib/server/timeline.ts): who
-- created it, joined, left or was removed, renames, and calls that started and ended. People are kept
-- by id without a reference, so a deleted account's events stay (named "Deleted user").
create table "room_event" (
	"id" integer primary key,
	"roomId" text not null references "room" ("id") on delete cascade,
	"at" integer not null,
	"kind" text not null,
	"actorId" text,
	"targetId" text,
	"detail" text
);

create index "room_event_room_idx" on "room_event" ("roomId", "id");
