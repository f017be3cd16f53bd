-- Instance administration (issue 17): the first account is the instance's administrator; an
-- administrator can disable an account (it cannot sign in, its sessions end).
alter table "user" add column "isAdmin" integer not null default 0;
alter table "user" add column "disabledAt" integer;

-- Sign-up links an administrator makes: one new account each, until it expires.
create table "signup_link" (
	"token" text primary key,
	"createdBy" text not null references "user" ("id") on delete cascade,
	"createdAt" integer not null,
	"expiresAt" integer not null,
	"usedAt" integer,
	"usedBy" text
);

-- Instance settings changed at run time on the admin page; they override the environment's defaults.
create table "instance_setting" (
	"key" text primary key,
	"value" text not null,
	"updatedAt" integer not null,
	"updatedBy" text
);

-- Every administrator action, for the admin page.
create table "admin_audit" (
	"id" integer primary key autoincrement,
	"at" integer not null,
	"actorId" text not null,
	"actorName" text not null,
	"action" text not null,
	"target" text,
	"detail" text
);
create index "admin_audit_at" on "admin_audit" ("at");
