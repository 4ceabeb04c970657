-- Facilitation: the per-turn time of a go-round, when the current turn began, and a lookup
-- of sessions by their voice channel (voice events arrive with a channel id only).
ALTER TABLE sessions ADD COLUMN round_turn_minutes INTEGER;
ALTER TABLE sessions ADD COLUMN turn_started_at INTEGER;
CREATE INDEX facilitation_sessions_by_voice ON sessions (voice_channel_id);
CREATE INDEX facilitation_sessions_by_status ON sessions (status);
CREATE INDEX facilitation_cases_by_session ON cases (session_id, ended_at);
