-- History split by month (src/lib/core/chat/period.ts): a room is a series of documents, its main
-- one (period '') and, for a room whose history is 'monthly', one per month. A 'single' room keeps
-- all of its history in its main document.
alter table "room" add column "history" text not null default 'single' check ("history" in ('single', 'monthly'));

create table "sync_update_new" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"period" text not null default '',
	"seq" integer not null,
	"data" blob not null,
	primary key ("roomId", "period", "seq")
) without rowid;
insert into "sync_update_new" ("roomId", "period", "seq", "data") select "roomId", '', "seq", "data" from "sync_update";
drop table "sync_update";
alter table "sync_update_new" rename to "sync_update";

create table "sync_snapshot_new" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"period" text not null default '',
	"seq" integer not null,
	"data" blob not null,
	primary key ("roomId", "period")
);
insert into "sync_snapshot_new" ("roomId", "period", "seq", "data") select "roomId", '', "seq", "data" from "sync_snapshot";
drop table "sync_snapshot";
alter table "sync_snapshot_new" rename to "sync_snapshot";

create table "sync_client_new" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"period" text not null default '',
	"client" integer not null,
	"userId" text not null,
	primary key ("roomId", "period", "client")
) without rowid;
insert into "sync_client_new" ("roomId", "period", "client", "userId") select "roomId", '', "client", "userId" from "sync_client";
drop table "sync_client";
alter table "sync_client_new" rename to "sync_client";

create table "sync_quarantine_new" (
	"roomId" text not null references "room" ("id") on delete cascade,
	"period" text not null default '',
	"seq" integer not null,
	"data" blob not null,
	"reason" text not null,
	"at" integer not null,
	primary key ("roomId", "period", "seq")
) without rowid;
insert into "sync_quarantine_new" ("roomId", "period", "seq", "data", "reason", "at") select "roomId", '', "seq", "data", "reason", "at" from "sync_quarantine";
drop table "sync_quarantine";
alter table "sync_quarantine_new" rename to "sync_quarantine";

-- Which document a message lives in, so each document's index catches up on its own.
alter table "chat_message" add column "period" text not null default '';
