-- Files posted to rooms. The bytes are content-addressed (sha256) in the file storage; a row says
-- which room a file was posted to (only its members may read it) and how to show it.
create table "file" (
	"id" text not null primary key,
	"roomId" text not null references "room" ("id") on delete cascade,
	"uploaderId" text not null references "user" ("id") on delete cascade,
	"hash" text not null,
	"size" integer not null,
	"type" text not null,
	"name" text not null,
	"width" integer,
	"height" integer,
	"thumbHash" text,
	"createdAt" integer not null
);
create index "file_room" on "file" ("roomId");
create index "file_hash" on "file" ("hash");
create index "file_thumb" on "file" ("thumbHash");
