-- Facilitation: the frame message posted again after one was deleted by hand (an id,
-- never its text). frame_message_id stays the first frame: in a permanent channel it is
-- where the session's messages begin (the purge boundary), so it is never moved.
ALTER TABLE sessions ADD COLUMN frame_repost_id BIGINT;
