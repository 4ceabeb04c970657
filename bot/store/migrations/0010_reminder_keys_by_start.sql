-- Reminder and quorum timer keys now end with the session's start (epoch seconds), so a
-- moved session gets reminders for its new time. Existing keys take their session's
-- current start: a reminder already sent is not sent again for that start.
UPDATE timers
SET dedupe_key = dedupe_key || ':' || CAST(
    (SELECT sessions.scheduled_start FROM sessions WHERE sessions.id = timers.session_id) AS TEXT
)
WHERE kind IN ('session_reminder', 'session_quorum')
  AND EXISTS (SELECT 1 FROM sessions WHERE sessions.id = timers.session_id);
