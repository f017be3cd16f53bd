-- Consent: being added to a room is an invitation the person accepts or declines; people can
-- block others; a room can ban someone it removed so no invite link lets them back in.
create table "room_invitation" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"userId" text not null references "user" ("id") on delete cascade,
	"invitedBy" text not null references "user" ("id") on delete cascade,
	"createdAt" integer not null,
	primary key ("roomId", "userId")
) without rowid;

create index "room_invitation_userId_idx" on "room_invitation" ("userId");

-- "userId blocked blockedId": blockedId cannot invite, add, ring or message userId.
create table "user_block" (
	"userId" text not null references "user" ("id") on delete cascade,
	"blockedId" text not null references "user" ("id") on delete cascade,
	"createdAt" integer not null,
	primary key ("userId", "blockedId")
) without rowid;

create index "user_block_blockedId_idx" on "user_block" ("blockedId");

create table "room_ban" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"userId" text not null references "user" ("id") on delete cascade,
	"bannedBy" text references "user" ("id") on delete set null,
	"createdAt" integer not null,
	primary key ("roomId", "userId")
) without rowid;
