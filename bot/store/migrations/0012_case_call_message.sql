-- Cases: the id of the session's latest "Who has a case?" message (an id, never its text),
-- so that after a restart an offer made by DM still moves the count members read there.
ALTER TABLE sessions ADD COLUMN case_call_message_id BIGINT;
