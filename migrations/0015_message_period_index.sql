-- A month's document counts its messages in the index when it loads (sync/message-index.ts): with
-- this index that reads the month's rows, not every row of the room (a second for a room of a
-- million messages).
create index "chat_message_room_period_idx" on "chat_message" ("roomId", "period");
