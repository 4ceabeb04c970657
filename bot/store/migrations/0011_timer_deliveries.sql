-- One row per person a timer's round of DMs has reached or was reaching (the 24 h reminder,
-- the case prompt), so that a round cut short by a crash resumes with the people not yet
-- reached and nobody gets it twice. Ids and times only. The rows go when the timer finishes.
CREATE TABLE timer_deliveries (
    timer_id INTEGER NOT NULL REFERENCES timers (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'closed', 'failed', 'mentioned')),
    message_id BIGINT,                  -- the DM, once sent
    at INTEGER NOT NULL,
    PRIMARY KEY (timer_id, user_id)
);
