-- A retried timer's due time is its next try; this keeps the time it was first due, so its
-- grace (how late it may still run) counts from there. NULL: never retried (due_at is it).
ALTER TABLE timers ADD COLUMN first_due_at INTEGER;
