-- Web push subscriptions: one per browser, owned by the person signed in when it was made.
create table "push_subscription" (
	"endpoint" text not null primary key,
	"userId" text not null references "user" ("id") on delete cascade,
	"p256dh" text not null,
	"auth" text not null,
	-- New messages notify this device only when its owner turned that on.
	"messages" integer not null default 0,
	"createdAt" integer not null
);

create index "push_subscription_userId_idx" on "push_subscription" ("userId");
