-- When the outbox began handing the current attempt to its provider: a message is handed
-- over at most once per attempt, so a crash or a failed write never sends it twice.
ALTER TABLE items ADD COLUMN handover_at INTEGER;
