-- The language a person chose in Settings ('en', 'ru'); null follows each device's browser.
alter table "user" add column "locale" text;
