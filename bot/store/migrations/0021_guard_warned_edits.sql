-- The identifier guard: which edit of a message it warned about (the message's id and the
-- edit's time, in microseconds as Discord gives it), so that after a restart a pin or a
-- link preview of that message, which Discord sends with the same edit time, does not
-- warn its author a second time. Ids and times only: never the text, nor who wrote it.
CREATE TABLE guard_warned_edits (
    message_id BIGINT PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    edited_us BIGINT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX guard_warned_edits_at ON guard_warned_edits (at);
