-- Cases: where a presenter's follow-up question stands. Ids and times only.
-- followup_after: ask before the first planned meeting of the group starting after this time.
-- followup_session_id: the meeting the last follow-up question was about (a "yes" promises it).
ALTER TABLE cases ADD COLUMN followup_after INTEGER;
ALTER TABLE cases ADD COLUMN followup_session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL;
CREATE INDEX cases_by_session ON cases (session_id, position);
CREATE INDEX cases_by_followup ON cases (followup_state);
