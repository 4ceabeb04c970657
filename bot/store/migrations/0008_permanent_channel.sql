-- Permanent session channel: a group may run every session in one channel that is kept
-- between sessions (its messages are deleted at the purge time instead of the channel).
-- session_channel: new | permanent. session_channel_id: that channel, once created.
ALTER TABLE groups ADD COLUMN session_channel TEXT NOT NULL DEFAULT 'new';
ALTER TABLE groups ADD COLUMN session_channel_id BIGINT;
