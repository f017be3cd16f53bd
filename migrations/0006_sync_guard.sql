-- Stored updates that do not apply to their room's document (written before Parley applied
-- before storing, or damaged): set aside so the room still loads, kept for inspection.
create table "sync_quarantine" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"seq" integer not null,
	"data" blob not null,
	"reason" text not null,
	"at" integer not null,
	primary key ("roomId", "seq")
) without rowid;

-- Bytes each person added to each room's document per UTC day, for the daily growth cap.
create table "sync_usage" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"userId" text not null,
	"day" integer not null,
	"bytes" integer not null,
	primary key ("roomId", "userId", "day")
) without rowid;
