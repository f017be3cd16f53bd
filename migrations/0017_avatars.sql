-- People's and rooms' pictures (src/lib/server/avatars.ts): re-encoded by the server to a small WebP without
-- metadata, kept in the database (they are a few kilobytes, and go with the account or the room).
create table "user_avatar" (
	"userId" text not null primary key references "user" ("id") on delete cascade,
	"image" blob not null,
	"updatedAt" integer not null
);

create table "room_avatar" (
	"roomId" text not null primary key references "room" ("id") on delete cascade,
	"image" blob not null,
	"updatedAt" integer not null
);
