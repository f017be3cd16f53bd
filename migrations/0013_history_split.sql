-- Rooms created before history was split by month are split at start (sync/history-split.ts), one
-- room per transaction. `legacyState` keeps the state vector of such a room's old single document
-- as the server had it then: a device that still holds the old document can tell by it which of its
-- writes never reached the server, and send those to the months they belong to.
alter table "room" add column "legacyState" blob;
