-- Cases: when the presenter last said "Yes, next time" to the follow-up question (a time,
-- nothing else). A promise stands for the meetings ended since then up to a limit
-- (bot.domain.cases.promise_stands), so one never kept stops heading the leaders' list.
ALTER TABLE cases ADD COLUMN followup_promised_at INTEGER;
-- Promises made before this column: from the start of the meeting they were made for,
-- else from the end of the meeting the case was presented at.
UPDATE cases SET followup_promised_at = COALESCE(
    (SELECT s.scheduled_start FROM sessions s WHERE s.id = cases.followup_session_id),
    followup_after
) WHERE followup_state = 'yes';
