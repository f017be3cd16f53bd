-- Rooms (group chats and two-person direct rooms), their members with roles, and invite links.
create table "room" (
	"id" text not null primary key,
	"kind" text not null check ("kind" in ('group', 'direct')),
	"name" text not null,
	"createdBy" text not null references "user" ("id"),
	"createdAt" integer not null,
	"lastActivityAt" integer not null,
	-- For direct rooms: the two user ids, sorted and joined by a space, so a pair has one room.
	"directKey" text unique
);

create table "room_member" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"userId" text not null references "user" ("id") on delete cascade,
	"role" text not null check ("role" in ('owner', 'admin', 'member')),
	"joinedAt" integer not null,
	primary key ("roomId", "userId")
) without rowid;

create index "room_member_userId_idx" on "room_member" ("userId");

create table "room_invite" (
	"token" text not null primary key,
	"roomId" text not null references "room" ("id") on delete cascade,
	"createdBy" text not null references "user" ("id") on delete cascade,
	"createdAt" integer not null,
	"expiresAt" integer not null,
	"maxUses" integer,
	"useCount" integer not null default 0,
	"revokedAt" integer
);

create index "room_invite_roomId_idx" on "room_invite" ("roomId");

-- User search by name prefix, case-insensitive.
create index "user_name_nocase_idx" on "user" ("name" collate nocase);
