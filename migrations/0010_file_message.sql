-- Which message a file is attached to: set when the server accepts the first message that
-- references it (a file belongs to one message). Deleting that message deletes the file; an upload
-- no message took within a day is swept.
alter table "file" add column "messageKey" text;
create index "file_message" on "file" ("roomId", "messageKey");
