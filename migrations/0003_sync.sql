-- Room documents (Yjs): accepted updates appended in order, compacted into a snapshot.
create table "sync_update" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"seq" integer not null,
	"data" blob not null,
	primary key ("roomId", "seq")
) without rowid;

create table "sync_snapshot" (
	"roomId" text not null primary key references "room" ("id") on delete cascade,
	-- The last update folded into the snapshot.
	"seq" integer not null,
	"data" blob not null
);

-- Which person writes with which Yjs client id, so nobody can write as someone else's client.
create table "sync_client" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"client" integer not null,
	"userId" text not null,
	primary key ("roomId", "client")
) without rowid;

-- One row per message in a room document: for unread counts and last activity, without loading documents.
create table "chat_message" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"key" text not null,
	"authorId" text not null,
	"createdAt" integer not null,
	primary key ("roomId", "key")
) without rowid;

create index "chat_message_room_time_idx" on "chat_message" ("roomId", "createdAt");

alter table "room_member" add column "lastReadAt" integer not null default 0;
